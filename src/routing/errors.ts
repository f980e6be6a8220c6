/** Routing-table failures a request can meet; the listener's error handler words each code. */
export type RoutingErrorCode =
  /** The pending row of a create cannot be written: the create is refused before any pod is asked. */
  'TRIO2O_ROUTING_UNWRITABLE';

export class RoutingError extends Error {
  override readonly name = 'RoutingError';
  readonly code: RoutingErrorCode;
  constructor(code: RoutingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
