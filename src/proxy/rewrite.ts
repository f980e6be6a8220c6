/**
 * Response rewriting. Pods build links from the URL the gateway called, so a link in a pod's
 * body starts with the pod's service root (`http://pod/compute`); users must get the gateway's
 * root instead (they may not reach pods at all). One string replacement on the JSON text covers
 * `self`, `bookmark` and `*_links` alike.
 */
const VERSION_SEGMENT = /^v\d+(\.\d+)?$/;

/** Parsed roots by endpoint: every forwarded answer needs one, and a pod has few endpoints. */
const ROOTS = new Map<string, string>();
/** Bound on the memo; far above any real pod count × service count. */
const ROOTS_MAX = 1024;

/** `http://h/compute/v2.1` → `http://h/compute`; `http://h/volume/v3/%(project_id)s` → `http://h/volume`. */
export function serviceRoot(endpoint: string): string {
  let root = ROOTS.get(endpoint);
  if (root === undefined) {
    if (ROOTS.size >= ROOTS_MAX) ROOTS.clear();
    ROOTS.set(endpoint, (root = parseRoot(endpoint)));
  }
  return root;
}

function parseRoot(endpoint: string): string {
  const url = new URL(endpoint);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const version = segments.findIndex((s) => VERSION_SEGMENT.test(s));
  const kept = version === -1 ? segments : segments.slice(0, version);
  return url.origin + (kept.length ? `/${kept.join('/')}` : '');
}

/** Replaces the pod's root with the gateway's in a JSON text (both without trailing slash). */
export function rewriteLinks(text: string, podRoot: string, gatewayRoot: string): string {
  if (podRoot === gatewayRoot) return text;
  // JSON may escape '/' as '\/'; Nova and Cinder do not, but be safe for both spellings.
  const escaped = podRoot.replaceAll('/', '\\/');
  // Every spelling replaced below starts with one of these two: a text holding neither (most
  // header values) comes back as it is, without three split/join passes.
  if (!text.includes(podRoot) && !text.includes(escaped)) return text;
  let out = text.split(`${podRoot}/`).join(`${gatewayRoot}/`);
  if (out.includes(escaped)) out = out.split(`${escaped}\\/`).join(`${gatewayRoot.replaceAll('/', '\\/')}\\/`);
  // A link to the root itself (no path after it), e.g. a version document.
  return out.split(`"${podRoot}"`).join(`"${gatewayRoot}"`);
}
