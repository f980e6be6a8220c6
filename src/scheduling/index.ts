/** Tenant–pod binding and pod selection for creates. */
export { Scheduler, UNKNOWN_AZ_MESSAGE, type Placement } from './scheduler';
