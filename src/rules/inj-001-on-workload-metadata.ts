import { INJECT_KEY } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { stringMap } from '../private/json';

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

/** MESH-INJ-001: `sidecar.istio.io/inject` on a workload's own metadata, where Istio never reads it. */
export const injectOnWorkloadMetadata: MeshRule = {
  id: 'MESH-INJ-001',
  level: 'error',
  info: '`sidecar.istio.io/inject` set on a workload\'s own metadata instead of its pod template',
  explanation: 'The injection webhook sees pods, not Deployments: it reads `sidecar.istio.io/inject` from the pod '
    + 'template\'s labels. On the Deployment\'s own metadata the key is ignored, so the pods get (or miss) the '
    + 'sidecar according to the namespace label instead of what the manifest seems to say.',
  fix: 'set the label `sidecar.istio.io/inject: "true"` (or "false") on the pod template (`spec.template.metadata.labels`) and remove it from the workload\'s metadata',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const kind of WORKLOADS) {
      for (const o of objects.ofKind(kind)) {
        for (const where of ['annotations', 'labels'] as const) {
          const v = stringMap(o.metadata?.[where])[INJECT_KEY];
          if (v === undefined) continue;
          hits.push({
            object: o,
            location: `/metadata/${where}/sidecar.istio.io~1inject`,
            message: `${INJECT_KEY}: ${JSON.stringify(v)} is set as ${where === 'annotations' ? 'an annotation' : 'a label'} on the ${kind} itself, where the injector never reads it`,
          });
        }
      }
    }
    return hits;
  },
};
