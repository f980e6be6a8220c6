// Cinder fault bodies and the errors that produce them.
// Cinder renders every webob error through cinder.api.openstack.wsgi.Fault,
// whose name table differs from Nova's only by what it lacks: there is no
// 429 entry and a 406 (bad microversion) falls through to "computeFault".

/** Fault names by status, as in Cinder's wsgi.Fault._fault_names. */
export const CINDER_FAULT_NAMES: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

/** A client-facing Cinder error: rendered once, by the app's onError. */
export class CinderFault extends Error {
  readonly status: number;
  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CinderFault';
    this.status = status;
  }
}

/**
 * Thrown by the in-process attach/detach calls (VolumeService.attach/detach, used by Nova's
 * os-volume_attachments) when a volume or attachment does not exist (maps to 404).
 */
export class SimNotFound extends CinderFault {
  constructor(message: string) {
    super(404, message);
    this.name = 'SimNotFound';
  }
}

/**
 * Thrown by the in-process attach call when the volume's state, or an attachment to the same
 * server, forbids it (maps to 409).
 */
export class SimConflict extends CinderFault {
  constructor(message: string) {
    super(409, message);
    this.name = 'SimConflict';
  }
}

export function faultBody(status: number, message: string): Record<string, { code: number; message: string }> {
  const name = CINDER_FAULT_NAMES[status] ?? 'computeFault';
  return { [name]: { code: status, message } };
}

export const badRequest = (message: string): CinderFault => new CinderFault(400, message);
export const forbidden = (message: string): CinderFault => new CinderFault(403, message);
export const notFound = (message: string): CinderFault => new CinderFault(404, message);

/** Cinder's exception.InvalidInput text. */
export const invalidInput = (reason: string): CinderFault =>
  badRequest(`Invalid input received: ${reason}`);
/** Cinder's exception.InvalidVolume text. */
export const invalidVolume = (reason: string): CinderFault => badRequest(`Invalid volume: ${reason}`);

export const volumeNotFound = (id: string): CinderFault => notFound(`Volume ${id} could not be found.`);
export const snapshotNotFound = (id: string): CinderFault =>
  notFound(`Snapshot ${id} could not be found.`);
export const backupNotFound = (id: string): CinderFault => notFound(`Backup ${id} could not be found.`);
export const volumeTypeNotFound = (id: string): CinderFault =>
  notFound(`Volume type ${id} could not be found.`);

/** Policy denial, as oslo.policy's PolicyNotAuthorized reads through Cinder. */
export const policyDenied = (action: string): CinderFault =>
  forbidden(`Policy doesn't allow ${action} to be performed.`);
