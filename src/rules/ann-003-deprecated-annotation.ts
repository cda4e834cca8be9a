import { annotationDef, annotationLocation, annotationSites, istioAnnotationsOf } from './ann-annotations';
import { INJECT_KEY, refOf } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';

/**
 * MESH-ANN-003: an annotation istio/api marks deprecated (IST0135,
 * pkg/config/analysis/analyzers/annotations/annotations.go). As the analyzer, the
 * `sidecar.istio.io/inject` annotation is not reported beside the label of the same name, and
 * here not on a workload's own metadata either, which MESH-INJ-001 reports.
 */
export const annDeprecated: MeshRule = {
  id: 'MESH-ANN-003',
  // Analyze reports it as Info: the annotation still works, and may stop working in a later release.
  level: 'warning',
  istioCodes: ['IST0135'],
  info: 'Istio annotation that Istio has deprecated (IST0135)',
  explanation: 'A deprecated annotation works today and may be ignored by a later Istio release without an error, '
    + 'silently dropping what it configures. `sidecar.istio.io/inject` as an annotation is deprecated in favour of the label: '
    + 'the injection webhook\'s selectors read the label only.',
  fix: 'use what replaces it (for `sidecar.istio.io/inject`, the label of the same name on the pod template), or remove it',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const site of annotationSites(objects)) {
      for (const [key] of istioAnnotationsOf(site)) {
        if (!annotationDef(key)?.deprecated) continue;
        if (key === INJECT_KEY && (site.labels[INJECT_KEY] !== undefined || site.kind === 'Deployment')) continue;
        const extra = key === INJECT_KEY ? ' in favor of the "sidecar.istio.io/inject" label' : '';
        hits.push({ object: site.object, location: annotationLocation(site, key), message: `${key} is deprecated${extra} (on ${site.template ? 'the pod template of ' : ''}${refOf(site.object)})` });
      }
    }
    return hits;
  },
};
