import { isMeshBound, nsOf, resolveHost } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { asArray } from '../private/json';

/** MESH-VS-001: a mesh-bound VirtualService with a wildcard host, or hosts spanning several services. */
export const vsWildcardHost: MeshRule = {
  id: 'MESH-VS-001',
  level: 'error',
  info: 'mesh-bound VirtualService with a wildcard host, or hosts spanning several services',
  explanation: 'A mesh-bound VirtualService applies to every sidecar that calls its hosts. A bare `*` is rejected by istiod; '
    + 'a wildcard (`*.shop.svc.cluster.local`) or several services in one VirtualService silently takes over the routing '
    + 'of services other teams own, and makes "one VirtualService per host" impossible to keep.',
  fix: 'write one VirtualService per service, naming exactly that service\'s host',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const vs of objects.virtualServices()) {
      if (!isMeshBound(vs)) continue;
      const hosts = asArray(vs.spec?.hosts).map(String);
      hosts.forEach((h, i) => {
        if (h.includes('*')) {
          hits.push({ object: vs, location: `/spec/hosts/${i}`, message: `host ${JSON.stringify(h)} is a wildcard on a mesh-bound VirtualService` });
        }
      });
      // Only cluster services count: an external name on a gateway-bound VirtualService (the
      // service's own entry through an ingress gateway) is not another service's host.
      const distinct = new Set(hosts.filter((h) => !h.includes('*')).map((h) => resolveHost(h, nsOf(vs))).filter((h) => h.endsWith('.svc.cluster.local')));
      if (distinct.size > 1) {
        hits.push({ object: vs, location: '/spec/hosts', message: `hosts span ${distinct.size} services (${[...distinct].join(', ')})` });
      }
    }
    return hits;
  },
};
