/** Background discovery of what the pods support (microversion ranges). */
export { PodVersions, maxFromDocument, type PodVersionsOptions, type StoredVersions } from './pod-versions';
