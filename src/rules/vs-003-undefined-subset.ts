import { nsOf, resolveHost, serviceOfHost } from './mesh-objects';
import { KObject, MeshRule, RuleHit } from './rule';
import { asArray, isObject } from '../private/json';

/**
 * MESH-VS-003: a route to a subset no DestinationRule for that host defines (IST0101 for subsets,
 * pkg/config/analysis/analyzers/virtualservice/destinationrules.go). istiod still writes the route
 * to the subset's cluster, which does not exist: Envoy answers 503 with response flag NC
 * ("upstream cluster not found", Envoy access log docs; istio/istio#31925).
 * Judged only when the host's Service or a DestinationRule for the host is in the app: otherwise
 * the DestinationRule may come from another app, and the finding would be a guess.
 */
export const vsUndefinedSubset: MeshRule = {
  id: 'MESH-VS-003',
  level: 'error',
  istioCodes: ['IST0101'],
  info: 'VirtualService routes to a subset that no DestinationRule for the host defines',
  explanation: 'Nothing rejects a route to an undefined subset: the VirtualService is accepted and every request on '
    + 'that route fails at run time with 503 (Envoy response flag NC, "cluster not found"). istioctl analyze reports it (IST0101) only '
    + 'against a live cluster. Judged when the host\'s Service or a DestinationRule for it is in the app.',
  fix: 'define the subset in the host\'s DestinationRule (`subsets: [{ name, labels }]`), or route to a subset it defines',
  check(objects) {
    const subsets = new Map<string, Set<string>>();
    for (const dr of objects.destinationRules()) {
      if (typeof dr.spec?.host !== 'string') continue;
      const host = resolveHost(dr.spec.host, nsOf(dr));
      const set = subsets.get(host) ?? new Set<string>();
      for (const s of asArray(dr.spec?.subsets)) if (typeof s?.name === 'string') set.add(s.name);
      subsets.set(host, set);
    }
    const hits: RuleHit[] = [];
    const checkDest = (vs: KObject, d: any, location: string) => {
      if (!isObject(d) || typeof d.subset !== 'string' || typeof d.host !== 'string') return;
      const host = resolveHost(d.host, nsOf(vs));
      const defined = subsets.get(host);
      if (defined?.has(d.subset)) return;
      const svc = serviceOfHost(host);
      if (!defined && !(svc && objects.service(svc.namespace, svc.name))) return;
      hits.push({
        object: vs,
        location: `${location}/subset`,
        message: defined
          ? `subset ${JSON.stringify(d.subset)} of ${host} is not defined by its DestinationRule (subsets: ${[...defined].join(', ') || 'none'})`
          : `subset ${JSON.stringify(d.subset)} of ${host} is used, and no DestinationRule for ${host} is in the app`,
      });
    };
    for (const vs of objects.virtualServices()) {
      for (const proto of ['http', 'tcp', 'tls']) {
        asArray(vs.spec?.[proto]).forEach((route, r) => {
          asArray(route?.route).forEach((rt, i) => checkDest(vs, rt?.destination, `/spec/${proto}/${r}/route/${i}/destination`));
          if (proto === 'http') checkDest(vs, route?.mirror, `/spec/http/${r}/mirror`);
          if (proto === 'http') asArray(route?.mirrors).forEach((m, i) => checkDest(vs, m?.destination, `/spec/http/${r}/mirrors/${i}/destination`));
        });
      }
    }
    return hits;
  },
};
