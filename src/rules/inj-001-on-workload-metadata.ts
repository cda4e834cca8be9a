import { at, INJECT_KEY, WORKLOAD_TEMPLATE } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { stringMap } from '../private/json';

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

/** MESH-INJ-001: `sidecar.istio.io/inject` on a workload's own metadata, where Istio never reads it. */
export const injectOnWorkloadMetadata: MeshRule = {
  id: 'MESH-INJ-001',
  // A warning: nothing rejects it and the pods run; they are injected per their template and namespace.
  level: 'warning',
  istioCodes: ['IST0107'],
  info: '`sidecar.istio.io/inject` set on a workload\'s own metadata and not (or differently) on its pod template',
  explanation: 'The injection webhook sees pods, not Deployments: it reads `sidecar.istio.io/inject` from the pod '
    + 'template\'s labels. On the Deployment\'s own metadata the key is ignored, so the pods get (or miss) the '
    + 'sidecar according to the namespace label instead of what the manifest seems to say.',
  fix: 'set the label `sidecar.istio.io/inject: "true"` (or "false") on the pod template (`spec.template.metadata.labels`) and remove it from the workload\'s metadata',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const kind of WORKLOADS) {
      for (const o of objects.ofKind(kind)) {
        const t = at(o, WORKLOAD_TEMPLATE[kind]);
        const inTemplate = stringMap(t?.metadata?.labels)[INJECT_KEY] ?? stringMap(t?.metadata?.annotations)[INJECT_KEY];
        for (const where of ['annotations', 'labels'] as const) {
          const v = stringMap(o.metadata?.[where])[INJECT_KEY];
          if (v === undefined) continue;
          // Set on the pod template too, with the same value: the workload's copy is harmless.
          if (inTemplate !== undefined && String(inTemplate) === String(v)) continue;
          hits.push({
            object: o,
            location: `/metadata/${where}/sidecar.istio.io~1inject`,
            message: `${INJECT_KEY}: ${JSON.stringify(v)} is set as ${where === 'annotations' ? 'an annotation' : 'a label'} on the ${kind} itself, where the injector never reads it${inTemplate === undefined ? '' : ` (its pod template says ${JSON.stringify(inTemplate)})`}`,
          });
        }
      }
    }
    return hits;
  },
};
