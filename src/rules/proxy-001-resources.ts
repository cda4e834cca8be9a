import { MeshRule, RuleHit } from './rule';
import { isObject } from '../private/json';
import { parseCpuMillis, parseMemoryBytes } from '../private/units';

const CPU_LIMIT = 'sidecar.istio.io/proxyCPULimit';
const MEM = 'sidecar.istio.io/proxyMemory';
const MEM_LIMIT = 'sidecar.istio.io/proxyMemoryLimit';

/** MESH-PROXY-001: proxy concurrency 0 or above the CPU limit's cores; proxy memory limit below its request. */
export const proxyResources: MeshRule = {
  id: 'MESH-PROXY-001',
  level: 'error',
  info: 'proxy concurrency 0 or above the proxy CPU limit\'s cores, or proxy memory limit below its request',
  explanation: '`concurrency: 0` starts one Envoy worker per node core, each with its own connection pools and memory: '
    + 'on a 64-core node a sidecar uses many times the memory it was sized for and gets OOM-killed. More workers than '
    + 'the CPU limit\'s cores are throttled against each other. A memory limit below the request is rejected by the '
    + 'API server when the injector writes the pod, so the pod never starts.',
  fix: 'set concurrency to the proxy CPU limit\'s cores or fewer (2 is a good default), and a proxy memory limit at or above the request',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const t of objects.podTemplates()) {
      const a = t.annotations;
      const pc = objects.proxyConfigOf(a);
      const base = `${t.path}/metadata/annotations`;
      const conc = pc?.concurrency;
      if (conc !== undefined && conc !== null) {
        const n = Number(conc);
        const limit = parseCpuMillis(a[CPU_LIMIT]) / 1000;
        if (n === 0) {
          hits.push({ object: t.object, location: `${base}/proxy.istio.io~1config`, message: 'proxy concurrency is 0: one Envoy worker per node core' });
        } else if (Number.isFinite(limit) && limit > 0 && n > Math.ceil(limit)) {
          hits.push({
            object: t.object,
            location: `${base}/proxy.istio.io~1config`,
            message: `proxy concurrency ${n} is above the proxy CPU limit of ${a[CPU_LIMIT]} (${Math.ceil(limit)} core(s))`,
            fix: `lower concurrency to ${Math.max(1, Math.ceil(limit))}, or raise ${CPU_LIMIT} to ${n}`,
          });
        }
      }
      const req = parseMemoryBytes(a[MEM]);
      const lim = parseMemoryBytes(a[MEM_LIMIT]);
      if (Number.isFinite(req) && Number.isFinite(lim) && lim < req) {
        hits.push({ object: t.object, location: `${base}/sidecar.istio.io~1proxyMemoryLimit`, message: `proxy memory limit ${a[MEM_LIMIT]} is below the request ${a[MEM]}` });
      }
    }
    for (const io of objects.istioOperators()) {
      const dc = io.spec?.meshConfig?.defaultConfig;
      if (isObject(dc) && dc.concurrency !== undefined && Number(dc.concurrency) === 0) {
        hits.push({ object: io, location: '/spec/meshConfig/defaultConfig/concurrency', message: 'mesh-wide proxy concurrency is 0: one Envoy worker per node core in every sidecar' });
      }
      const res = io.spec?.values?.global?.proxy?.resources;
      if (isObject(res)) {
        const r = parseMemoryBytes(res.requests?.memory);
        const l = parseMemoryBytes(res.limits?.memory);
        if (Number.isFinite(r) && Number.isFinite(l) && l < r) {
          hits.push({ object: io, location: '/spec/values/global/proxy/resources/limits/memory', message: `mesh-wide proxy memory limit ${res.limits.memory} is below the request ${res.requests.memory}` });
        }
        const cl = parseCpuMillis(res.limits?.cpu) / 1000;
        const c = Number(isObject(dc) ? dc.concurrency : undefined);
        if (Number.isFinite(cl) && cl > 0 && Number.isFinite(c) && c > Math.ceil(cl)) {
          hits.push({ object: io, location: '/spec/meshConfig/defaultConfig/concurrency', message: `mesh-wide proxy concurrency ${c} is above the mesh-wide proxy CPU limit ${res.limits.cpu}` });
        }
      }
    }
    return hits;
  },
};
