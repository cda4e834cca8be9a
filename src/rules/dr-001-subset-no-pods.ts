import { nsOf, resolveHost, serviceOfHost } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { asArray, isObject, stringMap } from '../private/json';

/**
 * Labels istiod adds to every endpoint from its node, cluster and network, not from the pod:
 * pilot/pkg/serviceregistry/util/label/label.go AugmentLabels (region, zone, subzone, cluster,
 * node hostname, network). A subset may select on them; no pod template carries them.
 */
const ENDPOINT_LABELS = new Set([
  'topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone',
  'topology.istio.io/cluster', 'topology.istio.io/network', 'kubernetes.io/hostname',
]);

/**
 * MESH-DR-001: a subset whose labels select no pod template of the Service (IST0173, same
 * selector as pkg/config/analysis/analyzers/destinationrule/subset.go: Service selector merged
 * with the subset labels, over pod labels augmented with node/cluster labels).
 */
export const drSubsetNoPods: MeshRule = {
  id: 'MESH-DR-001',
  level: 'error',
  istioCodes: ['IST0173'],
  info: 'DestinationRule subset whose labels select none of the Service\'s pod templates in the app (IST0173)',
  explanation: 'A subset is a label selector over the host\'s pods. If no pod carries those labels (a typo, a version '
    + 'label that was renamed, a Deployment that was removed), traffic routed to it fails at run time with 503 (UH / '
    + '"no healthy upstream"). Nothing rejects it at apply time; istioctl analyze reports it (IST0173) against a live cluster. '
    + 'Only judged when the Service and at least one of its pod templates are in the app; labels istiod takes from '
    + 'the node or cluster (`topology.kubernetes.io/region`, `zone`, `topology.istio.io/subzone`, `cluster`, `network`, '
    + '`kubernetes.io/hostname`) are not matched against pod templates.',
  fix: 'make the subset\'s labels exactly the pod template labels of the version it stands for (e.g. `{ app, version }`), or remove the subset',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const dr of objects.destinationRules()) {
      if (typeof dr.spec?.host !== 'string') continue;
      const svcRef = serviceOfHost(resolveHost(dr.spec.host, nsOf(dr)));
      if (!svcRef) continue; // not a cluster Service (ServiceEntry, external): pods are not ours to see
      const svc = objects.service(svcRef.namespace, svcRef.name);
      const selector = stringMap(svc?.spec?.selector);
      // The Service's pods must be in the app for their absence to mean anything.
      if (!svc || Object.keys(selector).length === 0 || objects.podTemplatesMatching(svcRef.namespace, selector).length === 0) continue;
      asArray(dr.spec?.subsets).forEach((s, i) => {
        if (!isObject(s)) return;
        const labels = Object.fromEntries(Object.entries(stringMap(s.labels)).filter(([k]) => !ENDPOINT_LABELS.has(k)));
        const wanted = { ...selector, ...labels };
        if (objects.podTemplatesMatching(svcRef.namespace, wanted).length > 0) return;
        hits.push({
          object: dr,
          location: `/spec/subsets/${i}/labels`,
          message: `subset ${JSON.stringify(s.name)} selects ${JSON.stringify(wanted)} (with the Service selector), and no pod template in namespace ${svcRef.namespace} has those labels`,
        });
      });
    }
    return hits;
  },
};
