/**
 * What the store writes to the log: replica state changes and deferred migrations. Declared here,
 * structurally, so the store needs nothing from the layers that use it; the gateway's Logger fits.
 */
export interface StoreLog {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}
