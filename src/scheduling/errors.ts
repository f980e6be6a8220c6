/**
 * Why no pod could be chosen for a create. The listener's error handler words each code the way
 * its service does (Nova and Cinder name an unknown zone differently).
 */
export type SchedulingErrorCode =
  /** No bottom pod serves the requested availability zone. */
  | 'TRIO2O_AZ_UNKNOWN'
  /** The zone exists but every pod in it is disabled. */
  | 'TRIO2O_NO_POD_AVAILABLE';

export class SchedulingError extends Error {
  override readonly name = 'SchedulingError';
  readonly code: SchedulingErrorCode;
  /** The requested availability zone ('' = any). */
  readonly az: string;
  constructor(code: SchedulingErrorCode, az: string, message: string) {
    super(message);
    this.code = code;
    this.az = az;
  }
}
