import { hostsOverlap, isMeshBound } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { asArray } from '../private/json';

/**
 * MESH-VS-001: VirtualService hosts istiod rejects. Istio: pkg/config/validation/validation.go
 * ValidateVirtualService: "wildcard host * is not allowed for virtual services bound to the mesh
 * gateway" (1.22.8 and 1.30.3), and "duplicate hosts in virtual service" when two hosts of one
 * VirtualService overlap (`host.Name.Matches`, wildcards included). Any other wildcard
 * (`*.wikipedia.org`) is valid; wildcards over cluster services are MESH-VS-004's concern.
 */
export const vsWildcardHost: MeshRule = {
  id: 'MESH-VS-001',
  level: 'error',
  info: 'VirtualService hosts istiod rejects: a bare `*` bound to the mesh, or two overlapping hosts in one VirtualService',
  explanation: 'istiod\'s validating webhook refuses a mesh-bound VirtualService whose host is a bare `*`, and any '
    + 'VirtualService with two hosts that overlap (`a.acme.com` twice, or `*.acme.com` with `*.com` or `api.acme.com`): '
    + 'the apply fails. A wildcard such as `*.wikipedia.org` is valid and not reported here.',
  fix: 'name the hosts the VirtualService routes (a bare `*` only on a gateway-bound VirtualService), and list each host once, without one covering another',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const vs of objects.virtualServices()) {
      const hosts = asArray(vs.spec?.hosts).map(String);
      const mesh = isMeshBound(vs);
      hosts.forEach((h, i) => {
        if (mesh && h === '*') {
          hits.push({ object: vs, location: `/spec/hosts/${i}`, message: 'host "*" on a VirtualService bound to the mesh, which istiod rejects' });
        }
        for (let j = 0; j < i; j++) {
          if (hostsOverlap(hosts[j], h)) {
            hits.push({ object: vs, location: `/spec/hosts/${i}`, message: `host ${JSON.stringify(h)} overlaps host ${JSON.stringify(hosts[j])} of the same VirtualService, which istiod rejects as duplicate hosts` });
            break;
          }
        }
      });
    }
    return hits;
  },
};
