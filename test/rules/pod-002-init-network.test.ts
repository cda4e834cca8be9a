import { check, deployment, goodOperator, lines } from './objects';
import { podInitNetwork } from '../../src/rules/pod-002-init-network';

const init = [{ name: 'migrate', image: 'migrate:1' }];

describe('MESH-POD-002 pod-init-network', () => {
  test('passes with native sidecars, an outbound exclusion, UID 1337 or no sidecar', () => {
    expect(check(podInitNetwork,
      deployment('a', { initContainers: init, annotations: { 'sidecar.istio.io/nativeSidecar': 'true' } }),
      deployment('b', { initContainers: init, annotations: { 'traffic.sidecar.istio.io/excludeOutboundPorts': '5432' } }),
      deployment('c', { initContainers: [{ name: 'm', image: 'm', securityContext: { runAsUser: 1337 } }] }),
      deployment('d', { initContainers: init, labels: { 'app': 'd', 'sidecar.istio.io/inject': 'false' } }))).toEqual([]);
    expect(check(podInitNetwork, deployment('a', { initContainers: init }), goodOperator({ values: { pilot: { env: { ENABLE_NATIVE_SIDECARS: 'true' } } } }))).toEqual([]);
  });

  test('passes a pod injected by istioctl kube-inject with a native sidecar, and ignores the injector\'s own init containers', () => {
    const proxy = { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3', restartPolicy: 'Always', securityContext: { runAsUser: 1337 } };
    expect(check(podInitNetwork,
      deployment('native', { labels: { app: 'native' }, initContainers: [{ name: 'istio-init', image: 'proxyv2' }, proxy, ...init] }),
      deployment('classic', { labels: { 'app': 'classic', 'sidecar.istio.io/inject': 'true' }, initContainers: [{ name: 'istio-init', image: 'proxyv2' }] }))).toEqual([]);
  });

  test('level is warning', () => expect(podInitNetwork.level).toBe('warning'));

  test('warns on an init container in a meshed pod with the classic sidecar', () => {
    expect(lines(check(podInitNetwork, deployment('a', { initContainers: init })))).toEqual([
      'Deployment/shop/a /spec/template/spec/initContainers/0: init container "migrate" runs before the sidecar is up, with outbound traffic already redirected to it, unless native sidecars are in use (Istio 1.27+ with every node on kubelet 1.33+)',
    ]);
    expect(lines(check(podInitNetwork, deployment('b', { initContainers: init, annotations: { 'sidecar.istio.io/nativeSidecar': 'false' } })))[0])
      .toMatch(/the pod turns them off: sidecar.istio.io\/nativeSidecar "false"/);
  });
});
