import { check, deployment, goodOperator, lines } from './objects';
import { proxyResources } from '../../src/rules/proxy-001-resources';

const tuned = (config: string, extra: Record<string, string> = {}) => deployment('checkout', {
  annotations: { 'proxy.istio.io/config': config, 'sidecar.istio.io/proxyCPULimit': '2000m', 'sidecar.istio.io/proxyMemory': '128Mi', 'sidecar.istio.io/proxyMemoryLimit': '512Mi', ...extra },
});

describe('MESH-PROXY-001 proxy-resources', () => {
  test('passes concurrency within the CPU limit (JSON or YAML config) and a limit above the request', () => {
    expect(check(proxyResources, tuned('{"concurrency":2}'), tuned('concurrency: 1\nholdApplicationUntilProxyStarts: true\n'), goodOperator({ meshConfig: { defaultConfig: { concurrency: 2 } } }))).toEqual([]);
  });

  test('fails on concurrency 0, above the limit\'s cores, and a memory limit below the request', () => {
    const hits = check(proxyResources,
      tuned('{"concurrency":0}'),
      tuned('concurrency: 4', { 'sidecar.istio.io/proxyCPULimit': '1500m' }),
      tuned('{}', { 'sidecar.istio.io/proxyMemory': '1Gi', 'sidecar.istio.io/proxyMemoryLimit': '512Mi' }),
      goodOperator({ meshConfig: { defaultConfig: { concurrency: 0 } } }));
    expect(lines(hits)).toEqual([
      'Deployment/shop/checkout /spec/template/metadata/annotations/proxy.istio.io~1config: proxy concurrency is 0: one Envoy worker per node core',
      'Deployment/shop/checkout /spec/template/metadata/annotations/proxy.istio.io~1config: proxy concurrency 4 is above the proxy CPU limit of 1500m (2 core(s))',
      'Deployment/shop/checkout /spec/template/metadata/annotations/sidecar.istio.io~1proxyMemoryLimit: proxy memory limit 512Mi is below the request 1Gi',
      'IstioOperator/istio-system/control-plane /spec/meshConfig/defaultConfig/concurrency: mesh-wide proxy concurrency is 0: one Envoy worker per node core in every sidecar',
    ]);
    expect(hits[1].fix).toBe('lower concurrency to 2, or raise sidecar.istio.io/proxyCPULimit to 4');
  });
});
