import { nsOf } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { servicesByTemplate } from './svc-workload-services';
import { asArray, isObject } from '../private/json';

/**
 * MESH-SVC-003: Services selecting the same meshed workload with the same port number and
 * different protocols (IST0116, pkg/config/analysis/analyzers/deployment/services.go
 * analyzeDeploymentPortProtocol: `protocol`, TCP when unset).
 */
export const svcPortProtocolConflict: MeshRule = {
  id: 'MESH-SVC-003',
  level: 'warning',
  istioCodes: ['IST0116'],
  info: 'Services selecting the same meshed workload with the same port and different protocols (IST0116)',
  explanation: 'The sidecar builds one inbound listener per port of the pod. Services that give the same port two protocols '
    + 'ask for two incompatible listeners: istiod keeps one, and the traffic of the other Service is handled with the wrong protocol. '
    + 'Judged for workloads whose pods get the sidecar for sure.',
  fix: 'use one protocol per port across the Services that select the workload, or give each protocol its own port',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const [t, svcs] of servicesByTemplate(objects)) {
      const byPort = new Map<number, Map<string, string[]>>();
      for (const svc of svcs) {
        for (const p of asArray(svc.spec?.ports)) {
          if (!isObject(p) || p.port === undefined) continue;
          const protocols = byPort.get(Number(p.port)) ?? new Map<string, string[]>();
          const proto = String(p.protocol || 'TCP');
          protocols.set(proto, [...(protocols.get(proto) ?? []), `${nsOf(svc)}/${svc.metadata?.name}`]);
          byPort.set(Number(p.port), protocols);
        }
      }
      for (const [port, protocols] of [...byPort].sort((a, b) => a[0] - b[0])) {
        if (protocols.size < 2) continue;
        const names = [...new Set([...protocols.values()].flat())].sort();
        hits.push({ object: t.object, location: `${t.path}/metadata/labels`, message: `port ${port} has protocols ${[...protocols.keys()].sort().join(', ')} in the Services that select these pods (${names.join(', ')})` });
      }
    }
    return hits;
  },
};
