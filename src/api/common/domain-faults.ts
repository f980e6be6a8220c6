/**
 * The one translation of domain errors into client-facing errors, used by each listener's
 * `onError`. The layers below `api/` throw typed errors with stable codes (PodError,
 * StoreError, SchedulingError, RoutingError, PolicyDeniedError, KeystoneUnavailableError,
 * MarkerNotFoundError); here each code gets its status and the service's own wording. Every
 * switch is exhaustive, so a new code does not compile until it has an answer.
 */
import { PolicyDeniedError } from '../../auth/policy';
import { KeystoneUnavailableError } from '../../auth/keystone';
import { ApiError } from '../../http';
import { httpStatusFor, isPodError } from '../../pods';
import { RoutingError } from '../../routing';
import { SchedulingError } from '../../scheduling';
import { MarkerNotFoundError, StoreError } from '../../store';

/** Which API is answering: the wording of some faults differs between Nova and Cinder. */
export type ApiService = 'admin' | 'compute' | 'volume';

export const STORE_UNAVAILABLE_MESSAGE = 'The state store cannot be written right now (primary unreachable); nothing was changed.';

function storeFault(err: StoreError): ApiError | undefined {
  switch (err.code) {
    case 'TRIO2O_STORE_CONFLICT':
    case 'TRIO2O_STORE_REFERENCED':
      return new ApiError(409, 'The request conflicts with the current state of the resource.', { cause: err });
    case 'TRIO2O_STORE_READONLY':
    case 'TRIO2O_STORE_UNAVAILABLE':
      return new ApiError(503, STORE_UNAVAILABLE_MESSAGE, { cause: err });
    case 'TRIO2O_STORE_FAILED':
      return undefined; // a defect: the logged 500
  }
}

function schedulingFault(err: SchedulingError, service: ApiService): ApiError {
  switch (err.code) {
    case 'TRIO2O_AZ_UNKNOWN':
      // Nova: InvalidRequest from the AZ filter; Cinder: InvalidAvailabilityZone.
      return new ApiError(400, service === 'volume' ? `Availability zone '${err.az}' is invalid.` : 'The requested availability zone is not available', { cause: err });
    case 'TRIO2O_NO_POD_AVAILABLE':
      return new ApiError(503, err.message, { cause: err });
  }
}

function routingFault(err: RoutingError): ApiError {
  switch (err.code) {
    case 'TRIO2O_ROUTING_UNWRITABLE':
      return new ApiError(503, err.message, { cause: err });
  }
}

/**
 * The translator a listener's `onError` uses: an ApiError for every domain error it knows,
 * undefined for anything else (which then becomes the logged 500).
 */
export function domainFaults(service: ApiService): (err: Error) => ApiError | undefined {
  return function toApiError(err) {
    if (isPodError(err)) return new ApiError(httpStatusFor(err), err.message, { cause: err });
    if (err instanceof StoreError) return storeFault(err);
    if (err instanceof MarkerNotFoundError) return new ApiError(400, err.message, { cause: err });
    if (err instanceof SchedulingError) return schedulingFault(err, service);
    if (err instanceof RoutingError) return routingFault(err);
    if (err instanceof PolicyDeniedError) return new ApiError(403, err.message, { cause: err });
    if (err instanceof KeystoneUnavailableError) return new ApiError(503, 'The identity service is unavailable; try again later.', { cause: err });
    return undefined;
  };
}
