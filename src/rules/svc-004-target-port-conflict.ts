import { nsOf } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { servicesByTemplate } from './svc-workload-services';
import { asArray, isObject } from '../private/json';

/**
 * MESH-SVC-004: Services selecting the same meshed workload with the same targetPort and
 * different ports (IST0137, pkg/config/analysis/analyzers/deployment/services.go
 * analyzeDeploymentTargetPorts: the targetPort as written, the port when unset or 0). istiod builds
 * one inbound listener per target port and protocol, from the first service port that targets it
 * (pilot/pkg/serviceregistry/kube/controller/controller.go: "Dedupe the target ports here").
 */
export const svcTargetPortConflict: MeshRule = {
  id: 'MESH-SVC-004',
  level: 'warning',
  istioCodes: ['IST0137'],
  info: 'Services (or ports of one Service) selecting the same meshed workload with the same targetPort and different ports (IST0137)',
  explanation: 'istiod builds one inbound listener per target port and protocol of a pod, from the first service port '
    + 'that targets it: with two service ports on one target port, the other\'s port, name and port-level policies are '
    + 'not what the inbound traffic gets. Istio requires Services selecting the same workload with the same targetPort to use the same port. '
    + 'Judged for workloads whose pods get the sidecar for sure.',
  fix: 'give the Services the same `port` for that `targetPort`, or target different container ports',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const [t, svcs] of servicesByTemplate(objects)) {
      const byTarget = new Map<string, Map<number, string>>();
      for (const svc of svcs) {
        for (const p of asArray(svc.spec?.ports)) {
          if (!isObject(p) || p.port === undefined) continue;
          const tp = p.targetPort === undefined || p.targetPort === null || String(p.targetPort) === '0' || String(p.targetPort) === '' ? String(p.port) : String(p.targetPort);
          const ports = byTarget.get(tp) ?? new Map<number, string>();
          ports.set(Number(p.port), `${nsOf(svc)}/${svc.metadata?.name}`);
          byTarget.set(tp, ports);
        }
      }
      for (const [tp, ports] of [...byTarget].sort((a, b) => a[0].localeCompare(b[0]))) {
        if (ports.size < 2) continue;
        const nums = [...ports.keys()].sort((a, b) => a - b);
        hits.push({ object: t.object, location: `${t.path}/metadata/labels`, message: `targetPort ${tp} is reached through ports ${nums.join(', ')} (${[...new Set(ports.values())].sort().join(', ')})` });
      }
    }
    return hits;
  },
};
