import { check, goodOperator, lines } from './objects';
import { cpProxyConfigInMeshConfig } from '../../src/rules/cp-002-proxy-config-in-mesh-config';

describe('MESH-CP-002 cp-proxy-config-in-mesh-config', () => {
  test('passes ProxyConfig fields under meshConfig.defaultConfig', () => {
    expect(check(cpProxyConfigInMeshConfig, goodOperator({
      meshConfig: { accessLogFile: '/dev/stdout', defaultConfig: { proxyStatsMatcher: { inclusionPrefixes: ['cluster.outbound'] }, concurrency: 2 } },
    }))).toEqual([]);
  });

  test('fails on proxyStatsMatcher and concurrency directly under meshConfig', () => {
    const hits = check(cpProxyConfigInMeshConfig, goodOperator({ meshConfig: { proxyStatsMatcher: { inclusionPrefixes: ['x'] }, concurrency: 2 } }));
    expect(lines(hits)).toEqual([
      'IstioOperator/istio-system/control-plane /spec/meshConfig/concurrency: meshConfig.concurrency is a ProxyConfig field, dropped where it is',
      'IstioOperator/istio-system/control-plane /spec/meshConfig/proxyStatsMatcher: meshConfig.proxyStatsMatcher is a ProxyConfig field, dropped where it is',
    ]);
    expect(hits[1].fix).toBe('move it to spec.meshConfig.defaultConfig.proxyStatsMatcher');
  });
});
