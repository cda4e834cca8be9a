// The Services that select each meshed pod template (MeshObjects.servicesSelecting, filtered).
import { MeshObjects, PodTemplateRef } from './mesh-objects';
import { KObject } from './rule';
import { stringMap } from '../private/json';

/**
 * Pod templates with the sidecar for sure (MeshObjects.injection `on`), not of a waypoint
 * (`gateway.istio.io/managed: istio.io-mesh-controller`), and the Services of their namespace
 * whose non-empty selector selects them: pkg/config/analysis/analyzers/deployment/services.go
 * findMatchingServices, over every workload kind rather than Deployments only.
 */
export function servicesByTemplate(objects: MeshObjects): Map<PodTemplateRef, KObject[]> {
  const out = new Map<PodTemplateRef, KObject[]>();
  for (const [t, services] of objects.servicesSelecting()) {
    const waypoint = stringMap(t.object.metadata?.labels)['gateway.istio.io/managed'] === 'istio.io-mesh-controller';
    if (!waypoint && objects.injection(t) === 'on') out.set(t, services);
  }
  return out;
}
