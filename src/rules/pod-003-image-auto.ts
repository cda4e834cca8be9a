import { PROXY_CONTAINER } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { asArray } from '../private/json';

/**
 * MESH-POD-003: an `istio-proxy` container with `image: auto` in a pod the webhook does not inject
 * (IST0146, IST0147; pkg/config/analysis/analyzers/injection/image-auto.go). `auto` is a
 * placeholder the injector replaces (gateway deployments); where no webhook injects, the kubelet
 * tries to pull an image named `auto`. Reported when the injection model (webhook selectors) says
 * the pod is not injected; unknown injection is not reported.
 */
export const podImageAuto: MeshRule = {
  id: 'MESH-POD-003',
  level: 'error',
  istioCodes: ['IST0146', 'IST0147'],
  info: '`istio-proxy` container with `image: auto` in a pod the injection webhook does not inject (IST0146, IST0147)',
  explanation: '`image: auto` is a placeholder the sidecar injector replaces with the proxy image (how gateway '
    + 'Deployments are written). When the webhook does not inject the pod (the namespace or pod labels do not select it), '
    + 'the kubelet tries to pull an image called `auto` and the pod never starts (ImagePullBackOff).',
  fix: 'let the webhook inject the pod (pod template label `sidecar.istio.io/inject: "true"`, or a Namespace label `istio-injection=enabled` / `istio.io/rev`), or name a real proxy image',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const t of objects.podTemplates()) {
      asArray(t.spec?.containers).forEach((c, i) => {
        if (c?.name !== PROXY_CONTAINER || c?.image !== 'auto') return;
        // injection() counts a template with istio-proxy as injected (kube-inject); ask the webhook model without it.
        if (objects.injection({ ...t, spec: { ...t.spec, containers: [], initContainers: [] } }) !== 'off') return;
        hits.push({ object: t.object, location: `${t.path}/spec/containers/${i}/image`, message: 'istio-proxy has image "auto", and no injection webhook selects this pod to replace it' });
      });
    }
    return hits;
  },
};
