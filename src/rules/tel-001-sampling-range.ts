import { MeshRule } from './rule';
import { samplingSettings } from './tel-sampling';

/** MESH-TEL-001: trace sampling outside 0–100. */
export const tracingSamplingRange: MeshRule = {
  id: 'MESH-TEL-001',
  level: 'error',
  info: 'trace sampling percentage outside 0–100',
  explanation: 'Sampling is a percentage from 0.0 to 100.0 wherever it is set (`meshConfig.defaultConfig.tracing.sampling`, '
    + 'Telemetry `randomSamplingPercentage`, a workload\'s `proxy.istio.io/config`). A value outside the range is '
    + 'rejected or clamped, usually because a fraction (0.01) or a per-mille value was meant.',
  fix: 'set a percentage from 0 to 100: 1 means 1% of requests (Istio\'s default), 100 means every request',
  check(objects) {
    return samplingSettings(objects)
      .filter((s) => { const n = Number(s.value); return !Number.isFinite(n) || n < 0 || n > 100; })
      .map((s) => ({ object: s.object, location: s.location, message: `${s.where} is ${JSON.stringify(s.value)}, not a percentage from 0 to 100` }));
  },
};
