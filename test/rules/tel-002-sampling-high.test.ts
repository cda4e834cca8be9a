import { check, deployment, goodOperator, lines, telemetry } from './objects';
import { tracingSamplingHigh } from '../../src/rules/tel-002-sampling-high';

describe('MESH-TEL-002 tracing-sampling-high', () => {
  test('passes 10% or less', () => {
    expect(check(tracingSamplingHigh,
      goodOperator({ meshConfig: { defaultConfig: { tracing: { sampling: 10 } } } }),
      telemetry('mesh-default', { tracing: [{ randomSamplingPercentage: 1 }] }))).toEqual([]);
  });

  test('warns above 10% (and leaves out-of-range values to MESH-TEL-001)', () => {
    const hits = check(tracingSamplingHigh,
      goodOperator({ values: { pilot: { traceSampling: 50 } } }),
      telemetry('mesh-default', { tracing: [{ randomSamplingPercentage: 100 }, { randomSamplingPercentage: 200 }] }),
      deployment('checkout', { annotations: { 'proxy.istio.io/config': '{"tracing":{"sampling":25}}' } }));
    expect(lines(hits)).toEqual([
      'IstioOperator/istio-system/control-plane /spec/values/pilot/traceSampling: values.pilot.traceSampling is 50% of requests',
      'Telemetry/istio-system/mesh-default /spec/tracing/0/randomSamplingPercentage: Telemetry tracing randomSamplingPercentage is 100% of requests',
      'Deployment/shop/checkout /spec/template/metadata/annotations/proxy.istio.io~1config: proxy.istio.io/config tracing.sampling is 25% of requests',
    ]);
  });
});
