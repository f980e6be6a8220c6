/** Background discovery of what the pods support (microversion ranges). */
export { PodVersions, maxFromDocument, type PodVersionsOptions } from './pod-versions';
