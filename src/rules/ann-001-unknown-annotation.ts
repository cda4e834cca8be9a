import { annotationDef, annotationLocation, annotationSites, istioAnnotationsOf } from './ann-annotations';
import { refOf } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';

/**
 * MESH-ANN-001: an annotation in an `istio.io` domain that Istio does not define (IST0108,
 * pkg/config/analysis/analyzers/annotations/annotations.go, against the istio/api annotation list
 * vendored in istio-annotations.ts).
 */
export const annUnknown: MeshRule = {
  id: 'MESH-ANN-001',
  // Nothing rejects an unknown annotation; it is ignored, so what it meant to configure is not.
  level: 'warning',
  istioCodes: ['IST0108'],
  info: 'Istio annotation that Istio does not define, on a Namespace, Service, Deployment or pod template (IST0108)',
  explanation: 'Istio ignores an annotation it does not know: a misspelt `sidecar.istio.io/proxyCpu` or '
    + '`traffic.sidecar.istio.io/excludeOutboundIpRanges` is accepted and has no effect, so the sidecar runs with the '
    + 'defaults it was meant to override. Annotations are checked against the istio/api list of Istio 1.30.3; one added '
    + 'in a later release is reported too.',
  fix: 'spell the annotation as Istio documents it (https://istio.io/latest/docs/reference/config/annotations/), or remove it',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const site of annotationSites(objects)) {
      for (const [key] of istioAnnotationsOf(site)) {
        if (annotationDef(key)) continue;
        hits.push({ object: site.object, location: annotationLocation(site, key), message: `${key} is not an Istio annotation (on ${site.template ? 'the pod template of ' : ''}${refOf(site.object)})` });
      }
    }
    return hits;
  },
};
