import { deployment, namespaceObject } from './objects';
import { exportScopes, hostsOverlap, MeshObjects, proxyConfigOf, resolveHost, serviceOfHost } from '../../src/rules/mesh-objects';

describe('mesh objects index', () => {
  test('resolves hosts as Istio does', () => {
    expect(resolveHost('checkout', 'shop')).toBe('checkout.shop.svc.cluster.local');
    // Only a name without a dot expands (pilot/pkg/model/config.go ResolveShortnameToFQDN).
    expect(resolveHost('checkout.pay', 'shop')).toBe('checkout.pay');
    expect(resolveHost('checkout.pay.svc', 'shop')).toBe('checkout.pay.svc');
    expect(resolveHost('*', 'shop')).toBe('*');
    expect(resolveHost('10.0.0.1', 'shop')).toBe('10.0.0.1');
    expect(resolveHost('Checkout.Pay.svc.cluster.local', 'shop')).toBe('checkout.pay.svc.cluster.local');
    expect(resolveHost('api.stripe.com', 'shop')).toBe('api.stripe.com');
    expect(serviceOfHost('checkout.pay.svc.cluster.local')).toEqual({ name: 'checkout', namespace: 'pay' });
    expect(serviceOfHost('api.stripe.com')).toBeUndefined();
  });

  test('host overlap and exportTo scopes as Istio computes them', () => {
    expect(hostsOverlap('foo.com', 'foo.com')).toBe(true);
    expect(hostsOverlap('*.com', 'foo.com')).toBe(true);
    expect(hostsOverlap('bar.com', '*.com')).toBe(true);
    expect(hostsOverlap('*.foo.com', 'foo.com')).toBe(false);
    expect(hostsOverlap('*.foo.com', '*.com')).toBe(true);
    expect(hostsOverlap('*', '*.com')).toBe(true);
    expect(hostsOverlap('a.com', 'b.com')).toBe(false);
    const o = (exportTo?: string[]) => ({ kind: 'VirtualService', metadata: { name: 'x', namespace: 'shop' }, spec: { exportTo } });
    expect(exportScopes(o())).toEqual(['*']);
    expect(exportScopes(o(['.', 'pay', '*']))).toEqual(['*']);
    expect(exportScopes(o(['.', 'pay', 'shop']))).toEqual(['pay', 'shop']);
  });

  test('reads proxy.istio.io/config as JSON or YAML, and ignores what it cannot read', () => {
    expect(proxyConfigOf({ 'proxy.istio.io/config': '{"concurrency":2}' })).toEqual({ concurrency: 2 });
    expect(proxyConfigOf({ 'proxy.istio.io/config': 'concurrency: 3\ntracing:\n  sampling: 5\n' })).toEqual({ concurrency: 3, tracing: { sampling: 5 } });
    expect(proxyConfigOf({ 'proxy.istio.io/config': 'a: b: c' })).toBeUndefined();
    expect(proxyConfigOf({ 'proxy.istio.io/config': 'just words' })).toBeUndefined();
    expect(proxyConfigOf({})).toBeUndefined();
  });

  test('injection: the pod template first, then its Namespace, else unknown', () => {
    const objs = new MeshObjects([
      deployment('a'),
      deployment('b', { labels: { 'app': 'b', 'sidecar.istio.io/inject': 'false' } }),
      deployment('c', { labels: { app: 'c' }, namespace: 'auto' }),
      deployment('d', { labels: { app: 'd' }, namespace: 'plain' }),
      deployment('e', { labels: { app: 'e' }, namespace: 'elsewhere' }),
      namespaceObject('auto', { 'istio-injection': 'enabled' }),
      namespaceObject('plain'),
    ]);
    expect(objs.podTemplates().map((t) => `${t.object.metadata?.name}=${objs.injection(t)}`)).toEqual(['a=on', 'b=off', 'c=on', 'd=off', 'e=unknown']);
  });

  test('injection follows the webhook\'s selectors (mutatingwebhook.yaml) and the injector\'s policy', () => {
    const inject = (v: string) => ({ 'sidecar.istio.io/inject': v });
    const objs = new MeshObjects([
      namespaceObject('off', { 'istio-injection': 'disabled' }),
      namespaceObject('plain'),
      namespaceObject('rev', { 'istio.io/rev': 'canary' }),
      namespaceObject('on', { 'istio-injection': 'enabled' }),
      // namespace istio-injection=disabled beats a pod label "true": no webhook matches
      deployment('disabled-ns-pod-true', { namespace: 'off', labels: { app: 'x', ...inject('true') } }),
      // an annotation "true" in an unlabelled namespace never reaches the webhook
      deployment('annotation-only', { namespace: 'plain', labels: { app: 'x' }, annotations: inject('true') }),
      deployment('label-true', { namespace: 'plain', labels: { app: 'x', ...inject('true') } }),
      deployment('pod-rev', { namespace: 'plain', labels: { 'app': 'x', 'istio.io/rev': 'canary' } }),
      deployment('rev-ns', { namespace: 'rev', labels: { app: 'x' } }),
      deployment('rev-ns-opt-out', { namespace: 'rev', labels: { app: 'x', ...inject('false') } }),
      // the injector prefers the label; an annotation "false" still opts out
      deployment('annotation-false', { namespace: 'on', labels: { app: 'x' }, annotations: inject('false') }),
      deployment('label-wins', { namespace: 'on', labels: { app: 'x', ...inject('true') }, annotations: inject('false') }),
      deployment('host-network', { namespace: 'on', labels: { app: 'x' }, spec: { hostNetwork: true } }),
      deployment('kube-system', { namespace: 'kube-system', labels: { app: 'x', ...inject('true') } }),
      deployment('unknown-ns-annotation', { namespace: 'elsewhere', labels: { app: 'x' }, annotations: inject('true') }),
    ]);
    expect(objs.podTemplates().map((t) => `${t.object.metadata?.name}=${objs.injection(t)}`)).toEqual([
      'disabled-ns-pod-true=off', 'annotation-only=off', 'label-true=on', 'pod-rev=on', 'rev-ns=on', 'rev-ns-opt-out=off',
      'annotation-false=off', 'label-wins=on', 'host-network=off', 'kube-system=off', 'unknown-ns-annotation=unknown',
    ]);
    const byDefault = new MeshObjects([
      { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'cp', namespace: 'istio-system' }, spec: { values: { sidecarInjectorWebhook: { enableNamespacesByDefault: true } } } },
      namespaceObject('plain'),
      deployment('auto', { namespace: 'plain', labels: { app: 'x' } }),
    ]);
    expect(byDefault.injection(byDefault.podTemplates()[0])).toBe('on');
  });

  test('finds pod templates by labels through the index', () => {
    const objs = new MeshObjects([deployment('a'), deployment('b'), deployment('a', { namespace: 'other' })]);
    expect(objs.podTemplatesMatching('shop', { app: 'a' }).map((t) => t.object.metadata?.name)).toEqual(['a']);
    expect(objs.podTemplatesMatching('shop', { version: 'v1' })).toHaveLength(2);
    expect(objs.podTemplatesMatching('shop', { app: 'a', version: 'v2' })).toEqual([]);
  });
});
