import { refOf } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { destinationProblem, destinationsOf } from './vs-destinations';

/**
 * MESH-VS-007: an http `mirror` / `mirrors` destination whose host, or host and port, names no
 * Service or ServiceEntry visible to the VirtualService (IST0101 "mirror host",
 * pkg/config/analysis/analyzers/virtualservice/destinationhosts.go). The mirrored copy goes to a
 * cluster that does not exist; the request itself is served (Envoy's request mirror policy does
 * not wait for, nor fail on, the shadow), hence a warning.
 */
export const vsMirrorNotFound: MeshRule = {
  id: 'MESH-VS-007',
  level: 'warning',
  istioCodes: ['IST0101'],
  info: 'VirtualService mirror destination host, or host:port, that no Service or ServiceEntry visible to it defines (IST0101)',
  explanation: 'A mirror to a host or port that does not exist is accepted: the shadow copies are sent to a cluster istiod '
    + 'never builds and are dropped, so the mirror you meant to test receives nothing. The mirrored requests themselves are '
    + 'served. Judged as MESH-VS-006: only for hosts of namespaces whose Services (or Namespace object) are in the app, or '
    + 'ServiceEntry hosts of the app.',
  fix: 'mirror to a Service or ServiceEntry host that exists, with one of its port numbers, or export it to the VirtualService\'s namespace',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const vs of objects.virtualServices()) {
      for (const d of destinationsOf(vs)) {
        if (!d.mirror) continue;
        const p = destinationProblem(objects, d);
        if (p?.kind === 'host') {
          hits.push({ object: vs, location: `${d.location}/host`, message: `mirror host ${JSON.stringify(d.destination.host)} (${p.fqdn}) is not a Service or ServiceEntry visible to namespace ${vs.metadata?.namespace ?? 'default'}` });
        } else if (p?.kind === 'port') {
          hits.push({ object: vs, location: `${d.location}/port/number`, message: `mirror port ${p.port} of ${p.fqdn} is not a port of ${refOf(p.entry.object)} (ports: ${p.entry.ports.join(', ') || 'none'})` });
        }
      }
    }
    return hits;
  },
};
