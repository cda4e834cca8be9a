import { MeshRule } from './rule';
import { samplingSettings } from './tel-sampling';

const MAX = 10;

/** MESH-TEL-002: trace sampling above 10%. */
export const tracingSamplingHigh: MeshRule = {
  id: 'MESH-TEL-002',
  level: 'warning',
  info: `trace sampling above ${MAX}%`,
  explanation: 'Every sampled request costs span creation and export in every proxy on its path and storage in the '
    + 'tracing backend. Above a few percent, tracing becomes a visible share of proxy CPU and of the backend\'s bill '
    + 'without telling you more. `sampling: 1` means 1%, not 100%.',
  fix: `sample ${MAX}% or less mesh-wide (1% is Istio's default); raise it for one workload or for a debugging window only`,
  check(objects) {
    return samplingSettings(objects)
      .filter((s) => { const n = Number(s.value); return Number.isFinite(n) && n > MAX && n <= 100; })
      .map((s) => ({ object: s.object, location: s.location, message: `${s.where} is ${s.value}% of requests` }));
  },
};
