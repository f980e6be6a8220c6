/**
 * The items of a list a pod answered (`body[key]`), keeping only JSON objects: a pod answering
 * `null` or a number among its items has sent nothing the gateway can show or merge, and reading
 * a field of it must not turn the whole answer into a 500.
 */
export function podItems(body: unknown, key: string): Record<string, unknown>[] {
  const list = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x));
}
