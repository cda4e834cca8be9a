import { nsOf, resolveHost } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';

/**
 * MESH-DR-004: a DestinationRule whose host names no Service or ServiceEntry visible to it
 * (IST0174, pkg/config/analysis/analyzers/destinationrule/subset.go: `GetDestinationHost(namespace,
 * exportTo, host)` nil). istiod accepts it and applies it to no cluster: its traffic policy, TLS
 * settings and subsets have no effect.
 */
export const drUnknownHost: MeshRule = {
  id: 'MESH-DR-004',
  level: 'warning',
  istioCodes: ['IST0174'],
  info: 'DestinationRule whose host matches no Service or ServiceEntry visible to it (IST0174)',
  explanation: 'A DestinationRule for a host that does not exist is accepted and has no effect: the connection pool, '
    + 'outlier detection, TLS origination and subsets it declares apply to nothing, often because of a typo or a host '
    + 'spelled short in another namespace. Judged only for a cluster host (`name.namespace.svc.cluster.local`) of a '
    + 'namespace whose Services (or Namespace object) are in the app, or a host a ServiceEntry of the app declares.',
  fix: 'set `host` to an existing Service (fully qualified when it is in another namespace) or ServiceEntry host, or remove the DestinationRule',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const dr of objects.destinationRules()) {
      const host = dr.spec?.host;
      if (typeof host !== 'string' || !host) continue;
      const ns = nsOf(dr);
      if (objects.destinationHost(ns, dr.spec?.exportTo, host)) continue;
      const fqdn = resolveHost(host, ns);
      if (!objects.judgesHost(fqdn)) continue;
      hits.push({ object: dr, location: '/spec/host', message: `host ${JSON.stringify(host)} (${fqdn}) is not a Service or ServiceEntry visible to namespace ${ns}` });
    }
    return hits;
  },
};
