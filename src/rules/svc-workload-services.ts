// The Services that select each pod template, found from the Services (each through the pod
// label index), so that the cost is the number of matches, not services × workloads.
import { MeshObjects, nsOf, PodTemplateRef } from './mesh-objects';
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
  for (const svc of objects.ofKind('Service')) {
    const selector = stringMap(svc.spec?.selector);
    if (Object.keys(selector).length === 0) continue;
    for (const t of objects.podTemplatesMatching(nsOf(svc), selector)) {
      const list = out.get(t);
      if (list) list.push(svc); else out.set(t, [svc]);
    }
  }
  for (const t of [...out.keys()]) {
    const waypoint = stringMap(t.object.metadata?.labels)['gateway.istio.io/managed'] === 'istio.io-mesh-controller';
    if (waypoint || objects.injection(t) !== 'on') out.delete(t);
  }
  return out;
}
