// Facts about Istio that several constructs and rules rely on: one place for each.

/** The proxy's UID: traffic from it is not redirected to the sidecar (IST0144). @internal */
export const PROXY_UID = 1337;

/** Istio's default control plane and mesh root namespace (`meshConfig.rootNamespace`). @internal */
export const ISTIO_SYSTEM = 'istio-system';

/** The shortest reason accepted where the library asks why (DISABLE, a rule suppression). @internal */
export const MIN_REASON_LENGTH = 10;
