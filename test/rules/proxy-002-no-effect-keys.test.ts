import { check, deployment, goodOperator, lines } from './objects';
import { proxyNoEffectKeys } from '../../src/rules/proxy-002-no-effect-keys';

describe('MESH-PROXY-002 proxy-no-effect-keys', () => {
  test('passes real keys (exact balance through proxyMetadata)', () => {
    expect(check(proxyNoEffectKeys,
      deployment('checkout', { annotations: { 'proxy.istio.io/config': '{"proxyMetadata":{"ISTIO_META_INBOUND_LISTENER_EXACT_BALANCE":"true"}}' } }),
      goodOperator({ meshConfig: { defaultConfig: { runtimeValues: { 'overload.global_downstream_max_connections': '50000' } } } }))).toEqual([]);
  });

  test('fails on ENABLE_MEMORY_CONNECTION_POOLING, listener.connection_balance_type and PILOT_ENABLE_XDS_CACHE', () => {
    const hits = check(proxyNoEffectKeys,
      deployment('checkout', { annotations: { 'proxy.istio.io/config': 'proxyMetadata:\n  ENABLE_MEMORY_CONNECTION_POOLING: "true"\n' } }),
      goodOperator({
        meshConfig: { defaultConfig: { runtimeValues: { 'listener.connection_balance_type': 'EXACT' } } },
        values: { pilot: { env: { PILOT_ENABLE_XDS_CACHE: 'true' } } },
      }));
    expect(lines(hits)).toEqual([
      'Deployment/shop/checkout /spec/template/metadata/annotations/proxy.istio.io~1config/proxyMetadata/ENABLE_MEMORY_CONNECTION_POOLING: proxy.istio.io/config proxyMetadata ENABLE_MEMORY_CONNECTION_POOLING has no effect',
      'IstioOperator/istio-system/control-plane /spec/meshConfig/defaultConfig/runtimeValues/listener.connection_balance_type: meshConfig.defaultConfig runtimeValues listener.connection_balance_type has no effect',
      'IstioOperator/istio-system/control-plane /spec/values/pilot/env/PILOT_ENABLE_XDS_CACHE: istiod env PILOT_ENABLE_XDS_CACHE=true has no effect',
    ]);
    expect(hits[1].fix).toMatch(/ISTIO_META_INBOUND_LISTENER_EXACT_BALANCE/);
  });
});
