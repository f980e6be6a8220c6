/** Background discovery of what the pods support (microversion ranges). */
export { PodVersions, maxFromDocument, rangeFromDocument, type PodVersionsOptions, type StoredVersions, type VersionRange } from './pod-versions';
