/** Tenant–pod binding and pod selection for creates. */
export { Scheduler, type Placement } from './scheduler';
export { SchedulingError, type SchedulingErrorCode } from './errors';
