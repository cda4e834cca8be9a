import { check, deployment, lines } from './objects';
import { podProxyUid } from '../../src/rules/pod-001-proxy-uid';

describe('MESH-POD-001 pod-proxy-uid', () => {
  test('passes an app running as another UID, and an unmeshed pod', () => {
    expect(check(podProxyUid,
      deployment('a', { containers: [{ name: 'a', image: 'a', securityContext: { runAsUser: 1000 } }] }),
      deployment('b', { labels: { 'app': 'b', 'sidecar.istio.io/inject': 'false' }, spec: { securityContext: { runAsUser: 1337 } } }))).toEqual([]);
  });

  test('passes a pod injected by istioctl kube-inject: its istio-proxy container is the proxy, not the app', () => {
    expect(check(podProxyUid, deployment('manual', {
      labels: { app: 'manual' },
      containers: [{ name: 'app', image: 'a', securityContext: { runAsUser: 1000 } }, { name: 'istio-proxy', image: 'proxyv2', securityContext: { runAsUser: 1337 } }],
    }))).toEqual([]);
  });

  test('level is warning, as IST0144', () => expect(podProxyUid.level).toBe('warning'));

  test('fails on UID 1337 on the container or inherited from the pod', () => {
    const hits = check(podProxyUid,
      deployment('a', { containers: [{ name: 'a', image: 'a', securityContext: { runAsUser: 1337 } }] }),
      deployment('b', { spec: { securityContext: { runAsUser: 1337 } } }));
    expect(lines(hits)).toEqual([
      'Deployment/shop/a /spec/template/spec/containers/0/securityContext/runAsUser: container "a" runs as UID 1337',
      'Deployment/shop/b /spec/template/spec/securityContext/runAsUser: container "app" runs as UID 1337 (from the pod securityContext)',
    ]);
  });
});
