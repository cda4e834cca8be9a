import { MeshRule } from './rule';
import { samplingSettings } from './tel-sampling';

/**
 * MESH-TEL-001: trace sampling outside 0–100. What happens to it (Istio 1.30.3):
 * Telemetry `randomSamplingPercentage` is rejected by the webhook (pkg/config/validation/validation.go:
 * "randomSamplingPercentage must be in range [0.0, 100.0]"); PILOT_TRACE_SAMPLING
 * (`values.pilot.traceSampling`) out of range is reset to 1.0 (pilot/pkg/features/telemetry.go);
 * ProxyConfig `tracing.sampling` above 100 is reset to 1.0 (pilot/pkg/networking/core/tracing.go
 * proxyConfigSamplingValue), not clamped to 100.
 */
export const tracingSamplingRange: MeshRule = {
  id: 'MESH-TEL-001',
  level: 'error',
  info: 'trace sampling percentage outside 0–100',
  explanation: 'Sampling is a percentage from 0.0 to 100.0 wherever it is set (`meshConfig.defaultConfig.tracing.sampling`, '
    + 'Telemetry `randomSamplingPercentage`, a workload\'s `proxy.istio.io/config`). Outside the range, a Telemetry is '
    + 'rejected by istiod\'s webhook, and `values.pilot.traceSampling` or a `tracing.sampling` above 100 is reset to 1% '
    + '(not clamped to 100%): tracing silently samples far less than meant. It is usually a fraction (0.01) or a per-mille value.',
  fix: 'set a percentage from 0 to 100: 1 means 1% of requests (Istio\'s default), 100 means every request',
  check(objects) {
    return samplingSettings(objects)
      .filter((s) => { const n = Number(s.value); return !Number.isFinite(n) || n < 0 || n > 100; })
      .map((s) => ({ object: s.object, location: s.location, message: `${s.where} is ${JSON.stringify(s.value)}, not a percentage from 0 to 100` }));
  },
};
