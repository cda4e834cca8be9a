import { refOf } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { destinationProblem, destinationsOf } from './vs-destinations';

/**
 * MESH-VS-008: a destination without `port` to a Service or ServiceEntry with several ports
 * (IST0112, pkg/config/analysis/analyzers/virtualservice/destinationhosts.go checkServiceEntryPorts).
 * istiod then uses the port the request arrived on (pilot/pkg/networking/core/route/route.go
 * GetDestinationCluster: `port := listenerPort` unless the service has exactly one port): right for
 * a sidecar that intercepted the service's own port, wrong for a gateway listening on 80/443 in
 * front of a service on other ports, where the route points at a cluster that does not exist.
 * Analyze reports it as an error; it breaks only some listeners, hence a warning here.
 */
export const vsDestinationPortRequired: MeshRule = {
  id: 'MESH-VS-008',
  level: 'warning',
  istioCodes: ['IST0112'],
  info: 'VirtualService destination without a port, to a Service or ServiceEntry that has several (IST0112)',
  explanation: 'With several ports on the destination and none named, istiod routes to the port the request arrived on. '
    + 'From a sidecar that is the port the client called, but from a gateway (listening on 80 or 443) or any listener on '
    + 'another port it is a cluster that does not exist, and requests fail with 503 (NC). Judged for Services and '
    + 'ServiceEntries of the app.',
  fix: 'set `destination.port.number` to the port the route is meant for',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const vs of objects.virtualServices()) {
      for (const d of destinationsOf(vs)) {
        const p = destinationProblem(objects, d);
        if (p?.kind !== 'port-required') continue;
        hits.push({ object: vs, location: d.location, message: `${d.mirror ? 'mirror ' : ''}destination ${p.fqdn} names no port, and ${refOf(p.entry.object)} has ports ${p.entry.ports.join(', ')}` });
      }
    }
    return hits;
  },
};
