import { MeshRule, RuleHit } from './rule';
import { ISTIO_SYSTEM } from '../private/istio-facts';
import { stringMap } from '../private/json';

/**
 * MESH-INJ-002: a Namespace with more than one kind of injection label (IST0123), as
 * pkg/config/analysis/analyzers/injection/injection.go: `istio-injection`, plus `istio.io/rev` or
 * `istio.io/dataplane-mode` counted only when `istio-injection` is absent or `enabled`; istio-system skipped.
 */
export const namespaceInjectionLabels: MeshRule = {
  id: 'MESH-INJ-002',
  level: 'warning',
  istioCodes: ['IST0123'],
  info: 'Namespace with more than one kind of injection label (IST0123)',
  explanation: 'With `istio-injection=enabled` and `istio.io/rev` on one Namespace, the default revision\'s webhook '
    + 'injects and the revision label is ignored (the revision webhooks require `istio-injection` to be absent), so '
    + 'a canary upgrade never reaches those pods; `istio.io/dataplane-mode` beside them mixes sidecar and ambient.',
  fix: 'keep one injection label per Namespace: `istio.io/rev=<revision>` for revisioned installs, else `istio-injection=enabled`',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const ns of objects.ofKind('Namespace')) {
      if (ns.metadata?.name === ISTIO_SYSTEM) continue;
      const l = stringMap(ns.metadata?.labels);
      const found: string[] = [];
      const inj = l['istio-injection'];
      if (inj !== undefined) found.push(`istio-injection=${inj}`);
      for (const k of ['istio.io/rev', 'istio.io/dataplane-mode']) {
        if (l[k] !== undefined && (inj === undefined || inj === 'enabled')) found.push(`${k}=${l[k]}`);
      }
      if (found.length > 1) hits.push({ object: ns, location: '/metadata/labels', message: `has ${found.length} injection labels (${found.join(', ')})` });
    }
    return hits;
  },
};
