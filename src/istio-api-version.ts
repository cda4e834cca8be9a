/**
 * Which Istio API versions the library writes.
 *
 * `v1` is served for every Istio kind the library emits since Istio 1.22; `v1beta1` has the
 * same schema and is still served, for meshes older than 1.22.
 */
export enum IstioApiVersion {
  /** `networking.istio.io/v1`, `security.istio.io/v1`, `telemetry.istio.io/v1` (Istio 1.22+). */
  V1 = 'v1',
  /** `v1beta1` (networking, security) and `v1alpha1` (telemetry), for Istio older than 1.22. */
  V1BETA1 = 'v1beta1',
}

/** The apiVersion of an Istio kind for the chosen API version. @internal */
export function istioApiVersion(group: string, version: IstioApiVersion): string {
  if (version === IstioApiVersion.V1) return `${group}/v1`;
  return group === 'telemetry.istio.io' ? `${group}/v1alpha1` : `${group}/v1beta1`;
}
