import { nsOf, refOf } from './mesh-objects';
import { KObject, MeshRule, RuleHit } from './rule';
import { isObject, stringMap } from '../private/json';

/**
 * MESH-TEL-003: Telemetries whose scopes collide (IST0160, IST0159), as
 * pkg/config/analysis/analyzers/telemetry/default_selector.go (several Telemetries without a
 * selector in one namespace) and selector.go (one pod selected by several Telemetries) find them.
 * Unlike default_selector.go, a Telemetry with `targetRef(s)` is not counted as namespace-wide:
 * it applies to the gateways it names. Every Telemetry of a conflict is reported.
 */
export const telemetryConflicts: MeshRule = {
  id: 'MESH-TEL-003',
  level: 'error',
  istioCodes: ['IST0160', 'IST0159'],
  info: 'several Telemetries without a workload selector in one namespace, or selecting the same workload (IST0160, IST0159)',
  explanation: 'istiod applies one Telemetry per scope: the namespace-wide one (no selector), then one per workload. With '
    + 'two in the same scope, which one applies is undefined (istioctl analyze reports it as an error), so tracing, '
    + 'metrics or access logging change when either is re-applied.',
  fix: 'merge them into one Telemetry per namespace and one per workload, or give them selectors that do not overlap',
  check(objects) {
    const hits: RuleHit[] = [];
    const namespaceWide = new Map<string, KObject[]>();
    const podToTelemetries = new Map<object, { pod: string; tels: KObject[] }>();
    for (const tel of objects.telemetries()) {
      if (tel.spec?.targetRef !== undefined || tel.spec?.targetRefs !== undefined) continue;
      const sel = stringMap(tel.spec?.selector?.matchLabels);
      if (!isObject(tel.spec?.selector)) {
        const l = namespaceWide.get(nsOf(tel)) ?? [];
        l.push(tel);
        namespaceWide.set(nsOf(tel), l);
        continue;
      }
      if (Object.keys(sel).length === 0) continue;
      for (const t of objects.podTemplatesMatching(nsOf(tel), sel)) {
        const e = podToTelemetries.get(t) ?? { pod: refOf(t.object), tels: [] };
        e.tels.push(tel);
        podToTelemetries.set(t, e);
      }
    }
    for (const [ns, list] of namespaceWide) {
      if (list.length < 2) continue;
      const names = list.map((t) => t.metadata?.name).sort().join(', ');
      for (const tel of list) hits.push({ object: tel, location: '/spec', message: `is one of ${list.length} Telemetries without a workload selector in namespace ${ns} (${names})` });
    }
    const reported = new Set<string>();
    for (const { pod, tels } of podToTelemetries.values()) {
      if (tels.length < 2) continue;
      const names = tels.map((t) => t.metadata?.name).sort().join(', ');
      for (const tel of tels) {
        const key = `${refOf(tel)}\u0000${names}`;
        if (reported.has(key)) continue;
        reported.add(key);
        hits.push({ object: tel, location: '/spec/selector', message: `selects ${pod}, as ${tels.length - 1} other Telemetr${tels.length === 2 ? 'y does' : 'ies do'} (${names})` });
      }
    }
    return hits;
  },
};
