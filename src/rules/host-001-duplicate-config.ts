import { exportScopes, hostsOverlap, isMeshBound, nsOf, refOf, resolveHost } from './mesh-objects';
import { KObject, MeshRule, RuleHit } from './rule';
import { asArray } from '../private/json';

/**
 * MESH-HOST-001: several mesh-bound VirtualServices for one host, visible to the same namespaces
 * (IST0109). Same semantics as pkg/config/analysis/analyzers/virtualservice/conflictingmeshgatewayhosts.go:
 * hosts are keyed by (exportTo scope, FQDN); a VirtualService scoped to some namespaces also
 * conflicts with one exported to all whose host overlaps it. Every VirtualService of a conflict is
 * reported, the first included.
 */
export const hostDuplicateConfig: MeshRule = {
  id: 'MESH-HOST-001',
  level: 'error',
  istioCodes: ['IST0109'],
  info: 'more than one mesh-bound VirtualService for the same host, visible to the same namespaces (IST0109)',
  explanation: 'For sidecars, istiod does not merge VirtualServices of one host: one of them applies and the others\' '
    + 'routes are dropped, and which one depends on creation time, so it changes when an object is re-applied. '
    + '`exportTo` scopes the conflict: VirtualServices exported to disjoint namespaces do not conflict.',
  fix: 'merge the routes into one VirtualService per host (MeshedService owns exactly one; contribute through it), or give the VirtualServices disjoint `exportTo`',
  check(objects) {
    const byKey = new Map<string, KObject[]>();
    const wildcardToAll: { host: string; vs: KObject }[] = [];
    for (const vs of objects.virtualServices()) {
      if (!isMeshBound(vs)) continue;
      const hosts = new Set(asArray(vs.spec?.hosts).map((h) => resolveHost(String(h), nsOf(vs))));
      for (const scope of exportScopes(vs)) {
        for (const h of hosts) {
          push(byKey, `${scope}/${h}`, vs);
          if (scope === '*' && h.startsWith('*')) wildcardToAll.push({ host: h, vs });
        }
      }
    }
    const hits: RuleHit[] = [];
    const reported = new Set<KObject>();
    for (const [key, own] of byKey) {
      const slash = key.indexOf('/');
      const scope = key.slice(0, slash);
      const host = key.slice(slash + 1);
      let list = own;
      if (scope !== '*') {
        const toAll = new Set(byKey.get(`*/${host}`) ?? []);
        for (const w of wildcardToAll) if (hostsOverlap(host, w.host)) toAll.add(w.vs);
        list = [...own, ...toAll];
      }
      const distinct = [...new Set(list)];
      if (distinct.length < 2) continue;
      const names = distinct.map(refOf).sort().join(', ');
      for (const vs of distinct) {
        if (reported.has(vs)) continue;
        reported.add(vs);
        hits.push({
          object: vs,
          location: '/spec/hosts',
          message: `is one of ${distinct.length} mesh-bound VirtualServices for ${host}${scope === '*' ? '' : ` seen from namespace ${scope}`} (${names})`,
        });
      }
    }
    return hits;
  },
};

function push(m: Map<string, KObject[]>, k: string, o: KObject): void {
  const l = m.get(k);
  if (l) l.push(o); else m.set(k, [o]);
}
