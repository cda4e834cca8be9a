import { nsOf, PodTemplateRef, refOf, resolveHost, serviceOfHost } from './mesh-objects';
import { KObject, MeshRule, RuleHit } from './rule';
import { asArray, isObject, stringMap } from '../private/json';

/**
 * MESH-SPLIT-001: a Service that lets clients bypass a VirtualService's split between versions.
 *
 * A VirtualService applies only to clients that apply it: sidecars (when mesh-bound) and the
 * gateways it names. Anything else reaches a host through its Service: kube-proxy spreads a pod
 * without a sidecar over the Service's endpoints by count, and Envoy's cluster for the host
 * (a gateway with a route of its own) does the same (pilot/pkg/serviceregistry/kube/controller
 * builds a host's endpoints from its Service's selector; a DestinationRule subset only narrows
 * them). A Service whose selector spans two or more of a split's versions therefore sends those
 * clients to each version by pod count, whatever the weights: a canary at weight 0 still gets
 * its pods' share. MeshedService writes a Service per version and a host Service on the primary
 * version only; this rule judges every split in the app, `Include`d ones too.
 */
export const splitBypassable: MeshRule = {
  id: 'MESH-SPLIT-001',
  level: 'warning',
  info: 'Service whose selector spans several versions of a VirtualService split: clients that bypass the VirtualService ignore the weights',
  explanation: 'Sidecars and bound gateways follow a VirtualService\'s weights; every other client (a pod without a sidecar, '
    + 'kube-proxy, a gateway with a route of its own) reaches the host\'s Service, which spreads requests over the pods it '
    + 'selects by count. When that Service selects the pods of several versions of a split, those clients reach each version '
    + 'by its share of pods: a dark-launched canary at weight 0 still gets traffic. Subset-based splits always have this '
    + 'shape, because a subset only narrows the host Service\'s endpoints.',
  fix: 'give each version a Service of its own and route the split to those hosts (what MeshedService writes), and let the host\'s Service select the primary version only; or narrow this Service\'s selector to one version',
  check(objects) {
    const subsetLabels = new Map<string, Record<string, string>>(); // `${host}|${subset}` -> labels
    for (const dr of objects.destinationRules()) {
      if (typeof dr.spec?.host !== 'string') continue;
      const host = resolveHost(dr.spec.host, nsOf(dr));
      for (const s of asArray(dr.spec?.subsets)) if (typeof s?.name === 'string') subsetLabels.set(`${host}|${s.name}`, stringMap(s.labels));
    }
    // ExternalName Services have no endpoints, whatever their selector.
    const servicesSelecting = (t: PodTemplateRef): KObject[] =>
      (objects.servicesSelecting().get(t) ?? []).filter((svc) => svc.spec?.type !== 'ExternalName');

    const hits: RuleHit[] = [];
    const reported = new Set<KObject>();
    for (const vs of objects.virtualServices()) {
      // The backends the split reaches: every destination of its HTTP and TCP routes.
      const backends = new Map<string, PodTemplateRef[]>();
      let resolvable = true;
      for (const proto of ['http', 'tcp']) {
        for (const route of asArray(vs.spec?.[proto])) {
          for (const rt of asArray(route?.route)) {
            const d = rt?.destination;
            if (!isObject(d) || typeof d.host !== 'string') continue;
            const host = resolveHost(d.host, nsOf(vs));
            const key = `${host}|${typeof d.subset === 'string' ? d.subset : ''}`;
            if (backends.has(key)) continue;
            const ref = serviceOfHost(host);
            const svc = ref && objects.service(ref.namespace, ref.name);
            const selector = svc ? stringMap(svc.spec?.selector) : {};
            if (!ref || !svc || Object.keys(selector).length === 0) {
              resolvable = false;
              continue;
            }
            const labels = { ...selector, ...(typeof d.subset === 'string' ? subsetLabels.get(key) ?? {} : {}) };
            backends.set(key, objects.podTemplatesMatching(ref.namespace, labels));
          }
        }
      }
      if (!resolvable || backends.size < 2) continue;
      const spans = new Map<KObject, Set<string>>();
      for (const [key, pods] of backends) {
        for (const pod of pods) {
          for (const svc of servicesSelecting(pod)) {
            const set = spans.get(svc) ?? new Set<string>();
            set.add(key);
            spans.set(svc, set);
          }
        }
      }
      for (const [svc, keys] of spans) {
        if (keys.size < 2 || reported.has(svc)) continue;
        reported.add(svc);
        const versions = [...keys].map((k) => k.endsWith('|') ? k.slice(0, -1) : k.replace('|', ' subset ')).join(', ');
        hits.push({
          object: svc,
          location: '/spec/selector',
          message: `selects the pods of ${keys.size} backends of the split in ${refOf(vs)} (${versions}): clients that bypass the VirtualService reach them by pod count, whatever the weights`,
        });
      }
    }
    return hits;
  },
};
