import { MeshObjects, PROXY_CONTAINER } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { PROXY_UID } from '../private/istio-facts';
import { asArray, isObject } from '../private/json';

const EXCLUSIONS = ['traffic.sidecar.istio.io/excludeOutboundIPRanges', 'traffic.sidecar.istio.io/excludeOutboundPorts'];

function nativeSidecarsMeshWide(objects: MeshObjects): boolean {
  for (const io of objects.istioOperators()) {
    if (String(io.spec?.values?.pilot?.env?.ENABLE_NATIVE_SIDECARS) === 'true') return true;
    if (asArray(io.spec?.components?.pilot?.k8s?.env).some((e) => e?.name === 'ENABLE_NATIVE_SIDECARS' && String(e?.value) === 'true')) return true;
  }
  return false;
}

/**
 * MESH-POD-002: init containers in a meshed pod without native sidecars or an outbound exclusion.
 *
 * Native sidecars: ENABLE_NATIVE_SIDECARS defaults to false up to 1.26
 * (1.22.8 pilot/pkg/features/experimental.go) and to "auto" from 1.27 (pilot/pkg/features/pilot.go),
 * which the injector turns on only when every node's kubelet is 1.33 or later
 * (pkg/kube/inject/webhook.go DetectNativeSidecar, minVersion 33). The pod annotation
 * `sidecar.istio.io/nativeSidecar` decides for the pod (pkg/kube/inject/inject.go). The app does not
 * say the Istio or kubelet version, so only an explicit "true" (pod or mesh) silences the rule.
 */
export const podInitNetwork: MeshRule = {
  id: 'MESH-POD-002',
  level: 'warning',
  info: 'init containers in a meshed pod without native sidecars or an outbound exclusion',
  explanation: 'With the classic sidecar, `istio-init` redirects all outbound traffic to the proxy before any init '
    + 'container runs, but the proxy itself only starts after them. An init container that calls the network '
    + '(migrations, downloads, registration) hangs or fails until it times out, and the pod never starts. '
    + 'Native sidecars (the proxy as an init container that starts first) avoid it: from Istio 1.27 '
    + '`ENABLE_NATIVE_SIDECARS` defaults to `auto`, which uses them only when every node runs kubelet 1.33 or later; '
    + 'before 1.27 they are off unless turned on. The manifests do not say which applies, so only an explicit '
    + '`"true"` silences this rule.',
  fix: 'turn on native sidecars (pod annotation `sidecar.istio.io/nativeSidecar: "true"`, or ENABLE_NATIVE_SIDECARS for the mesh), '
    + 'run the init container as UID 1337, or exclude its destinations with `traffic.sidecar.istio.io/excludeOutboundIPRanges` / `excludeOutboundPorts`; '
    + 'suppress this finding for init containers that never use the network',
  check(objects) {
    const hits: RuleHit[] = [];
    let meshNative: boolean | undefined;
    for (const t of objects.podTemplates()) {
      const inits = asArray(t.spec?.initContainers);
      if (inits.length === 0 || objects.injection(t) !== 'on') continue;
      if (String(t.annotations['sidecar.istio.io/nativeSidecar']) === 'true') continue;
      // Injected already as a native sidecar: the proxy starts before the other init containers.
      if (asArray(t.spec?.initContainers).some((c) => c?.name === PROXY_CONTAINER && c?.restartPolicy === 'Always')) continue;
      if (EXCLUSIONS.some((k) => t.annotations[k])) continue;
      meshNative ??= nativeSidecarsMeshWide(objects);
      if (meshNative) continue;
      inits.forEach((c, i) => {
        if (!isObject(c) || c.restartPolicy === 'Always') return; // itself a native sidecar
        if (c.name === 'istio-init' || c.name === 'istio-validation') return; // the injector's own
        if (Number(c.securityContext?.runAsUser ?? t.spec?.securityContext?.runAsUser) === PROXY_UID) return;
        hits.push({
          object: t.object,
          location: `${t.path}/spec/initContainers/${i}`,
          message: `init container ${JSON.stringify(c.name)} runs before the sidecar is up, with outbound traffic already redirected to it, unless native sidecars are in use${String(t.annotations['sidecar.istio.io/nativeSidecar']) === 'false' ? ' (the pod turns them off: sidecar.istio.io/nativeSidecar "false")' : ' (Istio 1.27+ with every node on kubelet 1.33+)'}`,
        });
      });
    }
    return hits;
  },
};
