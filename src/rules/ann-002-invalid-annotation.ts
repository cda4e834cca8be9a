import { annotationDef, annotationLocation, annotationSites, attachesTo, istioAnnotationsOf } from './ann-annotations';
import { ANNOTATION_VALIDATION } from './ann-validate';
import { MeshRule, RuleHit } from './rule';

/**
 * MESH-ANN-002: a pod annotation whose value the injector refuses (IST0125,
 * pkg/config/analysis/analyzers/annotations/annotations.go with pkg/kube/inject/validate.go
 * AnnotationValidation). The injector fails (inject.go RunTemplate), and the webhook, with
 * `failurePolicy: Fail` (manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml),
 * rejects the pod: the workload never gets a pod. Judged on pod templates that get the sidecar or
 * may (injection unknown); a pod that is not injected never meets the injector.
 */
export const annInvalid: MeshRule = {
  id: 'MESH-ANN-002',
  level: 'error',
  istioCodes: ['IST0125'],
  info: 'pod annotation with a value the sidecar injector rejects (a port, CIDR, integer, boolean, quantity, interface name or ProxyConfig it cannot read) (IST0125)',
  explanation: 'The injector validates these annotations before it injects a pod. When one is invalid the injection fails, '
    + 'and the webhook (failurePolicy Fail) makes the API server reject the pod: the Deployment\'s ReplicaSet never creates '
    + 'a pod, and the error is only visible in its events. Only the annotations the injector validates are checked; a '
    + '`proxy.istio.io/config` is checked for being readable, not field by field.',
  fix: 'write the value in the annotation\'s format: ports as `8080,8443`, CIDRs as `10.0.0.0/8,192.168.0.0/16` (no spaces), '
    + 'integers without sign, quantities as `100m` or `128Mi`, interception mode REDIRECT, TPROXY or NONE',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const site of annotationSites(objects)) {
      if (site.kind !== 'Pod' || !site.template || objects.injection(site.template) === 'off') continue;
      for (const [key, value] of istioAnnotationsOf(site)) {
        const def = annotationDef(key);
        const validate = ANNOTATION_VALIDATION[key];
        if (!def || !validate || !attachesTo(def, 'Pod')) continue;
        const problem = validate(value);
        if (problem) hits.push({ object: site.object, location: annotationLocation(site, key), message: `${key}: ${JSON.stringify(value)} is invalid: ${problem}` });
      }
    }
    return hits;
  },
};
