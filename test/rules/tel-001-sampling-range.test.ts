import { check, deployment, goodOperator, lines, telemetry } from './objects';
import { tracingSamplingRange } from '../../src/rules/tel-001-sampling-range';

describe('MESH-TEL-001 tracing-sampling-range', () => {
  test('passes percentages from 0 to 100 wherever set', () => {
    expect(check(tracingSamplingRange,
      goodOperator({ meshConfig: { defaultConfig: { tracing: { sampling: 1 } } } }),
      telemetry('mesh-default', { tracing: [{ randomSamplingPercentage: 0 }] }),
      deployment('checkout', { annotations: { 'proxy.istio.io/config': '{"tracing":{"sampling":100}}' } }))).toEqual([]);
  });

  test('fails on values outside 0-100 in the operator, a Telemetry and a workload', () => {
    const hits = check(tracingSamplingRange,
      goodOperator({ meshConfig: { defaultConfig: { tracing: { sampling: 150 } } } }),
      telemetry('mesh-default', { tracing: [{ randomSamplingPercentage: -1 }] }),
      deployment('checkout', { annotations: { 'proxy.istio.io/config': 'tracing:\n  sampling: 1000\n' } }));
    expect(lines(hits)).toEqual([
      'IstioOperator/istio-system/control-plane /spec/meshConfig/defaultConfig/tracing/sampling: meshConfig.defaultConfig.tracing.sampling is 150, not a percentage from 0 to 100',
      'Telemetry/istio-system/mesh-default /spec/tracing/0/randomSamplingPercentage: Telemetry tracing randomSamplingPercentage is -1, not a percentage from 0 to 100',
      'Deployment/shop/checkout /spec/template/metadata/annotations/proxy.istio.io~1config: proxy.istio.io/config tracing.sampling is 1000, not a percentage from 0 to 100',
    ]);
  });
});
