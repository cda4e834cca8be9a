import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApiVersion, istioApiVersion } from '../istio-api-version';

/**
 * An Istio object whose spec is rendered lazily at synth, so contributions made after
 * construction (versions, routes, policies) reach the YAML, and `addJsonPatch` still works.
 * The spec is built with the typed classes in `imports/` (Istio 1.30 v1 schema); v1beta1
 * serves the same schema. @internal
 */
export function istioObject(scope: Construct, id: string, group: string, kind: string,
  version: IstioApiVersion, metadata: ApiObjectMetadata, spec: () => unknown): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: istioApiVersion(group, version),
    kind,
    metadata,
    spec: Lazy.any({ produce: spec }),
  });
}
