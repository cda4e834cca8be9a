import { nsOf, refOf, resolveHost } from './mesh-objects';
import { KObject, MeshRule, RuleHit } from './rule';
import { asArray, isObject } from '../private/json';

/**
 * MESH-VS-009: a gateway-bound VirtualService routes to a host without a subset while another
 * VirtualService of that host routes it by subsets (IST0140,
 * pkg/config/analysis/analyzers/virtualservice/destinationhosts.go analyzeSubset). A gateway
 * applies the VirtualServices bound to it only, and sends to the host's whole endpoint set: the
 * other VirtualService's subset routing has no effect on requests from the gateway. Hosts are
 * compared resolved (the analyzer compares them as written); the VirtualService itself is not
 * counted as the other one.
 */
export const vsIngressBypassesSubsets: MeshRule = {
  id: 'MESH-VS-009',
  level: 'warning',
  istioCodes: ['IST0140'],
  info: 'gateway-bound VirtualService routes to a host without a subset while another VirtualService routes that host by subsets (IST0140)',
  explanation: 'A gateway does not apply a host\'s own (mesh) VirtualService after its own route: it sends to the host\'s '
    + 'Service, across all its pods. A version split or pinning done with subsets in the host\'s VirtualService therefore '
    + 'does not apply to requests that enter through the gateway, which reach every version.',
  fix: 'route the gateway to the subsets too (the same split in the gateway\'s VirtualService), or bind the host\'s VirtualService '
    + 'to the gateway as well (`gateways: [mesh, <gateway>]`, what ServiceIngress does)',
  check(objects) {
    // Hosts that a VirtualService of those hosts routes to by subset: fqdn -> those VirtualServices.
    const subsetRouted = new Map<string, KObject[]>();
    for (const vs of objects.virtualServices()) {
      const ns = nsOf(vs);
      const own = new Set(asArray(vs.spec?.hosts).filter((h) => typeof h === 'string').map((h) => resolveHost(h, ns)));
      const seen = new Set<string>();
      for (const route of asArray(vs.spec?.http)) {
        for (const rt of asArray(route?.route)) {
          const d = rt?.destination;
          if (!isObject(d) || typeof d.host !== 'string' || typeof d.subset !== 'string' || !d.subset) continue;
          const h = resolveHost(d.host, ns);
          if (!own.has(h) || seen.has(h)) continue;
          seen.add(h);
          subsetRouted.set(h, [...(subsetRouted.get(h) ?? []), vs]);
        }
      }
    }
    const hits: RuleHit[] = [];
    if (subsetRouted.size === 0) return hits;
    for (const vs of objects.virtualServices()) {
      if (asArray(vs.spec?.gateways).length === 0) continue;
      const ns = nsOf(vs);
      asArray(vs.spec?.http).forEach((route, r) => {
        asArray(route?.route).forEach((rt, i) => {
          const d = rt?.destination;
          if (!isObject(d) || typeof d.host !== 'string' || (typeof d.subset === 'string' && d.subset)) return;
          const others = (subsetRouted.get(resolveHost(d.host, ns)) ?? []).filter((o) => o !== vs);
          if (others.length === 0) return;
          hits.push({
            object: vs,
            location: `/spec/http/${r}/route/${i}/destination`,
            message: `routes gateway requests to ${resolveHost(d.host, ns)} without a subset, so the subset routing of ${others.map(refOf).join(', ')} does not apply to them`,
          });
        });
      });
    }
    return hits;
  },
};
