import { exportScopes, nsOf, refOf, resolveHost } from './mesh-objects';
import { KObject, MeshRule, RuleHit } from './rule';
import { asArray, isObject, stringMap } from '../private/json';

/**
 * MESH-HOST-002: DestinationRules istiod merges, dropping part of one. Istio:
 * pilot/pkg/model/destination_rule.go mergeDestinationRule merges DestinationRules of one host
 * in one namespace (same exportTo, no workload selector or equal ones): subsets are concatenated
 * (a subset name already present is dropped) and only the first rule's top-level trafficPolicy is
 * kept. Rules in different namespaces are never merged: pilot/pkg/model/push_context.go
 * destinationRule looks up the client's namespace, then the Service's namespace, then the root
 * namespace, so a client-namespace DestinationRule is an override, not a conflict.
 */
export const hostMergedDestinationRules: MeshRule = {
  id: 'MESH-HOST-002',
  level: 'warning',
  info: 'DestinationRules for one host in one namespace that istiod merges, dropping a traffic policy or a subset',
  explanation: 'istiod merges DestinationRules for the same host in the same namespace (same exportTo, same workload '
    + 'selector): subsets are concatenated and the oldest rule\'s top-level trafficPolicy wins. A second trafficPolicy, '
    + 'or a subset name defined twice, is dropped silently, and which one survives depends on creation time. '
    + 'DestinationRules in the client\'s namespace, the Service\'s namespace and the root namespace are looked up '
    + 'in that order and are not reported.',
  fix: 'keep one DestinationRule per host and namespace (MeshedService owns exactly one; contribute through it)',
  check(objects) {
    const groups = new Map<string, KObject[]>();
    for (const dr of objects.destinationRules()) {
      if (typeof dr.spec?.host !== 'string') continue;
      const sel = JSON.stringify(Object.entries(stringMap(dr.spec?.workloadSelector?.matchLabels)).sort());
      const key = [nsOf(dr), resolveHost(dr.spec.host, nsOf(dr)), exportScopes(dr).join(','), sel].join('\u0000');
      const l = groups.get(key);
      if (l) l.push(dr); else groups.set(key, [dr]);
    }
    const hits: RuleHit[] = [];
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      const [first, ...rest] = list;
      const host = resolveHost(first.spec.host, nsOf(first));
      let policyFrom: KObject | undefined = isObject(first.spec?.trafficPolicy) ? first : undefined;
      const subsetFrom = new Map<string, KObject>();
      for (const s of asArray(first.spec?.subsets)) if (typeof s?.name === 'string') subsetFrom.set(s.name, first);
      for (const dr of rest) {
        if (isObject(dr.spec?.trafficPolicy)) {
          if (policyFrom) {
            hits.push({ object: dr, location: '/spec/trafficPolicy', message: `trafficPolicy for ${host} is dropped when istiod merges it with ${refOf(policyFrom)} (which applies, if it is older)` });
          } else {
            policyFrom = dr;
          }
        }
        asArray(dr.spec?.subsets).forEach((s, i) => {
          if (typeof s?.name !== 'string') return;
          const prev = subsetFrom.get(s.name);
          if (prev) hits.push({ object: dr, location: `/spec/subsets/${i}`, message: `subset ${JSON.stringify(s.name)} of ${host} is also defined by ${refOf(prev)}: istiod keeps one of them` });
          else subsetFrom.set(s.name, dr);
        });
      }
    }
    return hits;
  },
};
