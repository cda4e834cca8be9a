import { nsOf, resolveHost, serviceOfHost } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { asArray, isObject, stringMap } from '../private/json';

/** MESH-DR-001: a subset whose labels select no pod template in the app. */
export const drSubsetNoPods: MeshRule = {
  id: 'MESH-DR-001',
  level: 'error',
  info: 'DestinationRule subset whose labels select no workload\'s pod template in the app',
  explanation: 'A subset is a label selector over the host\'s pods. If no pod carries those labels (a typo, a version '
    + 'label that was renamed, a Deployment that was removed), traffic routed to it fails at run time with 503 (UH / '
    + '"no healthy upstream"). Nothing rejects it at apply time; istioctl analyze reports it (IST0173) against a live cluster.',
  fix: 'make the subset\'s labels exactly the pod template labels of the version it stands for (e.g. `{ app, version }`), or remove the subset',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const dr of objects.destinationRules()) {
      if (typeof dr.spec?.host !== 'string') continue;
      const svcRef = serviceOfHost(resolveHost(dr.spec.host, nsOf(dr)));
      if (!svcRef) continue; // not a cluster Service (ServiceEntry, external): pods are not ours to see
      const svc = objects.service(svcRef.namespace, svcRef.name);
      const selector = stringMap(svc?.spec?.selector);
      asArray(dr.spec?.subsets).forEach((s, i) => {
        if (!isObject(s)) return;
        const labels = stringMap(s.labels);
        const wanted = { ...selector, ...labels };
        if (Object.keys(wanted).length === 0) return;
        if (objects.podTemplatesMatching(svcRef.namespace, wanted).length > 0) return;
        hits.push({
          object: dr,
          location: `/spec/subsets/${i}/labels`,
          message: `subset ${JSON.stringify(s.name)} selects ${JSON.stringify(wanted)}${svc ? ' (with the Service selector)' : ''}, and no pod template in namespace ${svcRef.namespace} has those labels`,
        });
      });
    }
    return hits;
  },
};
