import { isMeshBound, nsOf, resolveHost, serviceOfHost } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { asArray } from '../private/json';

/** Whether a wildcard host covers names of cluster Services (`*.shop.svc.cluster.local`, `*.local`). */
function coversClusterServices(host: string): boolean {
  if (!host.startsWith('*')) return false;
  const suffix = host.slice(1);
  return suffix === '' || '.svc.cluster.local'.endsWith(suffix) || suffix.endsWith('.svc.cluster.local');
}

/** MESH-VS-004: a mesh-bound VirtualService taking over the routing of several cluster Services. */
export const vsClusterWildcardHost: MeshRule = {
  id: 'MESH-VS-004',
  level: 'warning',
  info: 'mesh-bound VirtualService with a wildcard over cluster Services, or hosts naming several cluster Services',
  explanation: 'A mesh-bound VirtualService applies to every sidecar that calls its hosts. A wildcard over cluster '
    + 'Services (`*.shop.svc.cluster.local`) or several Services in one VirtualService takes over the routing of '
    + 'services other teams own, and makes "one VirtualService per host" impossible to keep. istiod accepts it; '
    + 'wildcards over external names (`*.wikipedia.org`, for egress) are not reported.',
  fix: 'write one VirtualService per service, naming exactly that service\'s host',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const vs of objects.virtualServices()) {
      if (!isMeshBound(vs)) continue;
      const hosts = asArray(vs.spec?.hosts).map(String);
      hosts.forEach((h, i) => {
        if (h !== '*' && coversClusterServices(h.toLowerCase())) {
          hits.push({ object: vs, location: `/spec/hosts/${i}`, message: `host ${JSON.stringify(h)} is a wildcard over cluster Services on a mesh-bound VirtualService` });
        }
      });
      const services = new Set(hosts.map((h) => resolveHost(h, nsOf(vs))).filter((h) => serviceOfHost(h)));
      if (services.size > 1) {
        hits.push({ object: vs, location: '/spec/hosts', message: `hosts name ${services.size} cluster Services (${[...services].join(', ')})` });
      }
    }
    return hits;
  },
};
