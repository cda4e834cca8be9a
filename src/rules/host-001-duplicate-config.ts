import { isMeshBound, nsOf, refOf, resolveHost } from './mesh-objects';
import { KObject, MeshRule, RuleHit } from './rule';
import { asArray, isObject } from '../private/json';

/** MESH-HOST-001: more than one DestinationRule, or mesh-bound VirtualService, for a host. */
export const hostDuplicateConfig: MeshRule = {
  id: 'MESH-HOST-001',
  level: 'error',
  info: 'more than one DestinationRule or mesh-bound VirtualService for the same host',
  explanation: 'Istio does not merge two DestinationRules, or two mesh VirtualServices, for one host reliably: which '
    + 'subsets, policies and routes win depends on creation time and namespace, and changes when either object is '
    + 're-applied. Keep exactly one of each per host.',
  fix: 'merge the objects into one DestinationRule and one VirtualService per host (MeshedService owns exactly one of each; contribute through it)',
  check(objects) {
    const hits: RuleHit[] = [];
    const report = (kind: string, groups: Map<string, KObject[]>) => {
      for (const [host, list] of groups) {
        if (list.length < 2) continue;
        for (const o of list.slice(1)) {
          hits.push({
            object: o,
            location: kind === 'DestinationRule' ? '/spec/host' : '/spec/hosts',
            message: `is a second ${kind} for ${host} (the first is ${refOf(list[0])}; ${list.length} in all)`,
          });
        }
      }
    };
    const drs = new Map<string, KObject[]>();
    for (const dr of objects.destinationRules()) {
      // A DestinationRule with a workloadSelector applies to some callers only: not a duplicate.
      if (typeof dr.spec?.host !== 'string' || isObject(dr.spec?.workloadSelector)) continue;
      push(drs, resolveHost(dr.spec.host, nsOf(dr)), dr);
    }
    const vss = new Map<string, KObject[]>();
    for (const vs of objects.virtualServices()) {
      if (!isMeshBound(vs)) continue;
      for (const h of new Set(asArray(vs.spec?.hosts).map((x) => resolveHost(String(x), nsOf(vs))))) push(vss, h, vs);
    }
    report('DestinationRule', drs);
    report('VirtualService', vss);
    return hits;
  },
};

function push(m: Map<string, KObject[]>, k: string, o: KObject): void {
  const l = m.get(k);
  if (l) l.push(o); else m.set(k, [o]);
}
