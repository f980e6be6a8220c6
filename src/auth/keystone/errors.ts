// The one error the Keystone client throws: it cannot tell whether a token is valid (Keystone
// unreachable, too slow, 5xx, an unreadable answer, or the gateway's own credentials refused).
// The caller answers 503, never 401: the user's token may be perfectly fine.

export type KeystoneErrorCode = 'TRIO2O_KEYSTONE_UNAVAILABLE';

export class KeystoneUnavailableError extends Error {
  override readonly name = 'KeystoneUnavailableError';
  readonly code: KeystoneErrorCode = 'TRIO2O_KEYSTONE_UNAVAILABLE';
  /** Keystone's HTTP status when it answered at all. */
  readonly status?: number;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}
