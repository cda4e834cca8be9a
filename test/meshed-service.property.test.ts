import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { DisruptionBudget, IstioApiVersion, MeshedService, MeshedServiceProps, MeshProtocol, RetryPolicy, SidecarTuning, TopologySpread, TrafficPolicy, WhenUnsatisfiable } from '../src';
import { dnsLabel } from './arbitraries';
import { all, chart, ForValidator, isLibraryError, Obj, only, synth } from './util';
import { INT32_MAX } from '../src/private/checks';
import { parseMemoryBytes } from '../src/private/units';

// Names up to the real limits: a Service name is a DNS-1035 label of at most 63 characters, a
// namespace a DNS-1123 label of at most 63; a version is a DNS-1123 label short enough that the
// composed `<name>-<version>` (its Deployment, Service, DestinationRule and budget) fits in 63.
const dns1035 = (max: number) => dnsLabel(max, true);
const dns1123 = (max: number) => dnsLabel(max);
const label = dns1123(63);
const protocol = fc.constantFrom(MeshProtocol.HTTP, MeshProtocol.HTTP2, MeshProtocol.GRPC, MeshProtocol.TCP);

/** A CPU quantity of `m` millicores, written as millicores ("1500m") or as cores ("1.5", "0.25"). */
const cpu = (m: number, asCores: boolean) => (asCores ? Cpu.units(m / 1000) : Cpu.millis(m));
/** A memory Size of `kib` KiB, in the largest binary unit that holds it whole (Ki, Mi, Gi, Ti). */
const memory = (kib: number) => (kib % 1024 ** 3 === 0 ? Size.tebibytes(kib / 1024 ** 3) : kib % 1024 ** 2 === 0 ? Size.gibibytes(kib / 1024 ** 2)
  : kib % 1024 === 0 ? Size.mebibytes(kib / 1024) : Size.kibibytes(kib));
const memoryKiB = fc.oneof(
  fc.integer({ min: 1, max: 4 * 1024 * 1024 }),
  fc.integer({ min: 1, max: 8192 }).map((mi) => mi * 1024),
  fc.integer({ min: 1, max: 4 }).map((gi) => gi * 1024 ** 2),
);

// Fractional CPU (any whole millicore, as "250m" or "0.25"), a concurrency that fits the limit's cores.
const sidecarInput = fc.record({
  cpuRequestMillis: fc.integer({ min: 1, max: 4000 }),
  cpuExtraMillis: fc.integer({ min: 0, max: 12000 }),
  requestAsCores: fc.boolean(),
  limitAsCores: fc.boolean(),
  concurrencyPick: fc.nat(),
  memRequestKiB: memoryKiB,
  memExtraKiB: fc.oneof(fc.constant(0), memoryKiB),
  hold: fc.boolean(),
  drainSeconds: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  exitOnZero: fc.boolean(),
  native: fc.option(fc.boolean(), { nil: undefined }),
}).map((s) => {
  const limitMillis = s.cpuRequestMillis + s.cpuExtraMillis;
  const concurrency = 1 + (s.concurrencyPick % Math.ceil(limitMillis / 1000));
  return { ...s, limitMillis, concurrency };
});
const sidecar = sidecarInput.map((s) => ({
  input: s,
  tuning: SidecarTuning.of({
    concurrency: s.concurrency,
    cpu: { request: cpu(s.cpuRequestMillis, s.requestAsCores), limit: cpu(s.limitMillis, s.limitAsCores) },
    memory: { request: memory(s.memRequestKiB), limit: memory(s.memRequestKiB + s.memExtraKiB) },
    holdApplicationUntilProxyStarts: s.hold,
    terminationDrainDuration: s.drainSeconds === undefined || s.exitOnZero ? undefined : Duration.seconds(s.drainSeconds),
    exitOnZeroActiveConnections: s.exitOnZero,
    nativeSidecar: s.native,
  }),
}));

// A budget below the replicas of every version that gets one (replicas are 2 to 10 then).
const budget = fc.oneof(
  fc.constant(DisruptionBudget.defaults()),
  fc.constant(DisruptionBudget.none()),
  fc.constant(DisruptionBudget.maxUnavailable(1)),
  fc.constant(DisruptionBudget.minAvailable(1)),
);

const spread = fc.record({
  zones: fc.boolean(),
  nodes: fc.boolean(),
  maxSkew: fc.integer({ min: 1, max: 5 }),
  when: fc.constantFrom(WhenUnsatisfiable.SCHEDULE_ANYWAY, WhenUnsatisfiable.DO_NOT_SCHEDULE),
}).map((t) => TopologySpread.of({ zones: t.zones, nodes: t.nodes, maxSkew: t.maxSkew, whenUnsatisfiable: t.when }));

const traffic = fc.record({
  // int32 fields (DestinationRule connectionPool): up to 2147483647
  maxConnections: fc.oneof(fc.integer({ min: 1, max: 100000 }), fc.integer({ min: 1, max: INT32_MAX }), fc.constant(INT32_MAX)),
  maxRequestsPerConnection: fc.option(fc.oneof(fc.integer({ min: 1, max: 10000 }), fc.integer({ min: 1, max: INT32_MAX })), { nil: undefined }),
  idleSeconds: fc.option(fc.integer({ min: 1, max: 7200 }), { nil: undefined }),
  consecutive5xxErrors: fc.integer({ min: 1, max: 50 }),
  maxEjectionPercent: fc.integer({ min: 0, max: 100 }),
  outlier: fc.boolean(),
}).map((t) => ({
  input: t,
  policy: TrafficPolicy.of({
    maxConnections: t.maxConnections,
    maxRequestsPerConnection: t.maxRequestsPerConnection,
    idleTimeout: t.idleSeconds === undefined ? undefined : Duration.seconds(t.idleSeconds),
    consecutive5xxErrors: t.consecutive5xxErrors,
    maxEjectionPercent: t.maxEjectionPercent,
    outlierDetection: t.outlier,
  }),
}));

// the longest name that leaves room for a version: 61 characters, `-` and a 1-character version
const validProps = dns1035(61).chain((id) => fc.record({
  id: fc.constant(id),
  port: fc.integer({ min: 1, max: 65535 }),
  servicePort: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  protocol,
  version: dns1123(62 - id.length),
  replicas: fc.integer({ min: 0, max: 10 }),
  namespace: fc.option(label, { nil: undefined }),
  sidecar: fc.option(sidecar, { nil: undefined }),
  trafficPolicy: fc.option(traffic, { nil: undefined }),
  timeoutMs: fc.option(fc.integer({ min: 1, max: 60000 }), { nil: undefined }),
  retries: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  beta: fc.boolean(),
  extraVersions: fc.uniqueArray(dns1123(62 - id.length), { maxLength: 2 }),
  disruptionBudget: fc.option(budget, { nil: undefined }),
  spread: fc.option(spread, { nil: undefined }),
  graceSeconds: fc.option(fc.integer({ min: 30, max: 600 }), { nil: undefined }),
}));

function build(p: any): Obj[] {
  const { chart: c } = chart();
  const http = p.protocol !== MeshProtocol.TCP;
  const props: MeshedServiceProps = {
    image: `ghcr.io/acme/${p.id}:1.0.0`,
    port: p.port,
    servicePort: p.servicePort,
    protocol: p.protocol,
    version: p.version,
    replicas: p.replicas,
    namespace: p.namespace,
    sidecar: p.sidecar?.tuning,
    trafficPolicy: p.trafficPolicy?.policy,
    timeout: http && p.timeoutMs !== undefined ? Duration.millis(p.timeoutMs) : undefined,
    retries: http && p.retries !== undefined ? RetryPolicy.of({ attempts: p.retries }) : undefined,
    istioApiVersion: p.beta ? IstioApiVersion.V1BETA1 : IstioApiVersion.V1,
    disruptionBudget: p.disruptionBudget,
    spread: p.spread,
    terminationGracePeriod: p.graceSeconds === undefined ? undefined : Duration.seconds(p.graceSeconds),
  };
  const svc = new MeshedService(c, p.id, props);
  for (const v of p.extraVersions) if (v !== p.version) svc.addVersion(v, { replicas: 1 });
  return synth(c);
}

describe('MeshedService properties', () => {
  const validated = new ForValidator();
  test('arbitrary valid props synthesize consistent output', () => {
    const outputs: Obj[][] = [];
    fc.assert(fc.property(validProps, (p) => {
      const objs = build(p);
      // one VS; one DR per Service host; the host's Service and each version's select exactly one Deployment's pods
      only(objs, 'VirtualService');
      const deployments = all(objs, 'Deployment');
      const services = all(objs, 'Service');
      const rules = all(objs, 'DestinationRule');
      expect(services).toHaveLength(deployments.length > 1 ? deployments.length + 1 : 1);
      expect(rules.map((r) => r.metadata.name)).toEqual(services.map((x) => x.metadata.name));
      expect(rules.every((r) => r.spec.subsets === undefined)).toBe(true);
      for (const svc of services) {
        const selected = deployments.filter((d) => Object.entries(svc.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
        expect(selected).toHaveLength(1);
      }
      // a PodDisruptionBudget for exactly the versions with 2 or more replicas, selecting exactly their pods
      const budgeted = deployments.filter((d) => d.spec.replicas >= 2 && p.disruptionBudget?.enabled !== false);
      expect(all(objs, 'PodDisruptionBudget').map((b) => b.spec.selector.matchLabels)).toEqual(budgeted.map((d) => d.spec.selector.matchLabels));
      for (const d of deployments) {
        const pc = JSON.parse(d.spec.template.metadata.annotations['proxy.istio.io/config']);
        if (pc.terminationDrainDuration !== undefined) {
          expect(parseInt(pc.terminationDrainDuration, 10)).toBeLessThanOrEqual(d.spec.template.spec.terminationGracePeriodSeconds);
        }
      }
      // the sidecar's quantities as given, in whole millicores and binary units; the pool caps as given
      if (p.sidecar) {
        const s = p.sidecar.input;
        for (const d of deployments) {
          const a = d.spec.template.metadata.annotations;
          expect(a['sidecar.istio.io/proxyCPU']).toBe(`${s.cpuRequestMillis}m`);
          expect(a['sidecar.istio.io/proxyCPULimit']).toBe(`${s.limitMillis}m`);
          expect(parseMemoryBytes(a['sidecar.istio.io/proxyMemory'])).toBe(s.memRequestKiB * 1024);
          expect(parseMemoryBytes(a['sidecar.istio.io/proxyMemoryLimit'])).toBe((s.memRequestKiB + s.memExtraKiB) * 1024);
          expect(JSON.parse(a['proxy.istio.io/config']).concurrency).toBe(s.concurrency);
        }
      }
      if (p.trafficPolicy) {
        for (const r of rules) {
          expect(r.spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(p.trafficPolicy.input.maxConnections);
          expect(r.spec.trafficPolicy.connectionPool.http?.maxRequestsPerConnection).toBe(p.trafficPolicy.input.maxRequestsPerConnection);
        }
      }
      for (const o of objs) expect(o.metadata.name!.length).toBeLessThanOrEqual(63);
      expect(JSON.stringify(objs)).not.toContain('undefined');
      if (outputs.length < 40) outputs.push(objs);
    }), { numRuns: 60, seed: 42 });
    validated.add(...outputs);
  });
  validated.test('the output of arbitrary valid props passes the shared strict validator');

  const invalid = fc.oneof(
    fc.record({ port: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 }), fc.double({ min: 1.1, max: 2.9, noInteger: true })) }),
    fc.record({ replicas: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 9.9, noInteger: true })) }),
    fc.record({ image: fc.constantFrom('', '   ', 'a b') }),
    fc.record({ version: fc.stringMatching(/^[A-Z_.]{1,8}$/) }),
    // `checkout-<version>` over 63 characters (the Deployment's and the version Service's name)
    fc.record({ version: dnsLabel(63).filter((v) => v.length > 54) }),
    fc.record({ namespace: fc.constantFrom('Shop', '-shop', 'shop_1', 'a'.repeat(64)) }),
    fc.record({ sidecar: fc.integer({ min: -5, max: 0 }).map((c) => SidecarTuning.of({ concurrency: c })) }),
    fc.record({ sidecar: fc.integer({ min: 3, max: 64 }).map((c) => SidecarTuning.of({ concurrency: c, cpu: { limit: Cpu.units(2) } })) }),
    fc.record({
      sidecar: fc.integer({ min: 2, max: 500 })
        .map((m) => SidecarTuning.of({ memory: { request: Size.mebibytes(m), limit: Size.mebibytes(m - 1) } })),
    }),
    fc.record({ trafficPolicy: fc.integer({ max: 0 }).map((n) => TrafficPolicy.of({ maxConnections: n })) }),
    // budgets at or above the replicas; a drain longer than the default 30 s grace period; a grace period under 1 s
    fc.record({ replicas: fc.integer({ min: 2, max: 10 }), disruptionBudget: fc.integer({ min: 10, max: 20 }).map(DisruptionBudget.maxUnavailable) }),
    fc.record({ replicas: fc.integer({ min: 2, max: 10 }), disruptionBudget: fc.integer({ min: 10, max: 20 }).map(DisruptionBudget.minAvailable) }),
    fc.record({ sidecar: fc.integer({ min: 31, max: 600 }).map((n) => SidecarTuning.of({ terminationDrainDuration: Duration.seconds(n) })) }),
    fc.record({ terminationGracePeriod: fc.integer({ min: 0, max: 999 }).map((n) => Duration.millis(n)) }),
    // what a plain-JavaScript caller may pass instead of a value type
    fc.record({ disruptionBudget: fc.anything().filter((x) => x !== undefined && x !== null).map((x) => x as any) }),
    fc.record({ spread: fc.anything().filter((x) => x !== undefined && x !== null).map((x) => x as any) }),
    fc.record({ terminationGracePeriod: fc.anything().filter((x) => x !== undefined && x !== null).map((x) => x as any) }),
    fc.record({ sidecar: fc.anything().filter((x) => x !== undefined && x !== null).map((x) => x as any) }),
    fc.record({ sidecar: fc.anything().filter((x) => typeof x !== 'boolean' && x !== undefined && x !== null).map((x) => SidecarTuning.of({ nativeSidecar: x as any })) }),
  );

  test('arbitrary invalid props throw the library error, never a crash', () => {
    fc.assert(fc.property(invalid, (bad) => {
      let thrown: unknown;
      try {
        const { chart: c } = chart();
        new MeshedService(c, 'checkout', { image: 'acme/checkout:1', port: 8080, ...bad });
        synth(c);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeDefined();
      expect(isLibraryError(thrown)).toBe(true);
      expect(String((thrown as Error).message)).toMatch(/^test\/checkout: .+, got .+: .+/);
    }), { numRuns: 200, seed: 7 });
  });
});
