/** Generic pass-through to one pod: call, map transport failures, rewrite links, stream. */
export { callPod, respond, forward, buffered, podAnswer, type PodAnswer, type ProxyDeps, type ForwardOptions } from './pass-through';
export { serviceRoot, rewriteLinks } from './rewrite';
export { podRef } from './pod-ref';
export { azToTop, isInnerZone, shown as shownZone, type AzField, type InnerZones, type JsonTransform, type TopZone } from './az';
export { ownerPod, createRouted, forwardById, forwardRoutedCall, actionOf, deletionEvents, eventOf, applyEvent, type RoutedCall, type RoutedDeps, type CreateRoutedOptions, type ByIdOptions, type BodyPeek, type AnswerSeen, type RoutingEvent } from './routed';
