import { refOf } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { destinationProblem, destinationsOf } from './vs-destinations';

/**
 * MESH-VS-006: a route destination whose host, or host and port, names no Service or ServiceEntry
 * visible to the VirtualService (IST0101, pkg/config/analysis/analyzers/virtualservice/destinationhosts.go).
 * istiod writes the route to cluster `outbound|port||host` anyway (pilot/pkg/networking/core/route/route.go
 * GetDestinationCluster), a cluster that does not exist: Envoy answers 503 with response flag NC.
 */
export const vsDestinationNotFound: MeshRule = {
  id: 'MESH-VS-006',
  level: 'error',
  istioCodes: ['IST0101'],
  info: 'VirtualService route destination host, or host:port, that no Service or ServiceEntry visible to it defines (IST0101)',
  explanation: 'Nothing rejects a route to a host or port that does not exist: istiod writes the route to a cluster it never '
    + 'builds, and every request on that route fails with 503 (Envoy response flag NC, "cluster not found"). A Service is '
    + 'visible where its `networking.istio.io/exportTo` annotation says, a ServiceEntry where its `exportTo` says. Judged only '
    + 'for a cluster host (`name.namespace.svc.cluster.local`) of a namespace whose Services (or Namespace object) are in the '
    + 'app, or a host a ServiceEntry of the app declares: any other host may be defined by objects applied from elsewhere.',
  fix: 'route to a Service or ServiceEntry host that exists (spelled short in the same namespace, or fully qualified), '
    + 'with one of its port numbers, or export it to the VirtualService\'s namespace',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const vs of objects.virtualServices()) {
      for (const d of destinationsOf(vs)) {
        if (d.mirror) continue;
        const p = destinationProblem(objects, d);
        if (p?.kind === 'host') {
          hits.push({ object: vs, location: `${d.location}/host`, message: `host ${JSON.stringify(d.destination.host)} (${p.fqdn}) is not a Service or ServiceEntry visible to namespace ${vs.metadata?.namespace ?? 'default'}` });
        } else if (p?.kind === 'port') {
          hits.push({ object: vs, location: `${d.location}/port/number`, message: `port ${p.port} of ${p.fqdn} is not a port of ${refOf(p.entry.object)} (ports: ${p.entry.ports.join(', ') || 'none'})` });
        }
      }
    }
    return hits;
  },
};
