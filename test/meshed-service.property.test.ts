import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { DisruptionBudget, IstioApiVersion, MeshedService, MeshedServiceProps, MeshProtocol, RetryPolicy, SidecarTuning, TopologySpread, TrafficPolicy, WhenUnsatisfiable } from '../src';
import { all, chart, ForValidator, isLibraryError, Obj, only, synth } from './util';

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const protocol = fc.constantFrom(MeshProtocol.HTTP, MeshProtocol.HTTP2, MeshProtocol.GRPC, MeshProtocol.TCP);

const sidecar = fc.record({
  concurrency: fc.integer({ min: 1, max: 4 }),
  extraCores: fc.integer({ min: 0, max: 2 }),
  cpuRequestMillis: fc.integer({ min: 10, max: 1000 }),
  memRequestMi: fc.integer({ min: 32, max: 512 }),
  memExtraMi: fc.integer({ min: 0, max: 1024 }),
  hold: fc.boolean(),
  drainSeconds: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  exitOnZero: fc.boolean(),
  native: fc.option(fc.boolean(), { nil: undefined }),
}).map((s) => SidecarTuning.of({
  concurrency: s.concurrency,
  cpu: { request: Cpu.millis(s.cpuRequestMillis), limit: Cpu.units(s.concurrency + s.extraCores) },
  memory: { request: Size.mebibytes(s.memRequestMi), limit: Size.mebibytes(s.memRequestMi + s.memExtraMi) },
  holdApplicationUntilProxyStarts: s.hold,
  terminationDrainDuration: s.drainSeconds === undefined || s.exitOnZero ? undefined : Duration.seconds(s.drainSeconds),
  exitOnZeroActiveConnections: s.exitOnZero,
  nativeSidecar: s.native,
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
  maxConnections: fc.integer({ min: 1, max: 100000 }),
  maxRequestsPerConnection: fc.option(fc.integer({ min: 1, max: 10000 }), { nil: undefined }),
  idleSeconds: fc.option(fc.integer({ min: 1, max: 7200 }), { nil: undefined }),
  consecutive5xxErrors: fc.integer({ min: 1, max: 50 }),
  maxEjectionPercent: fc.integer({ min: 0, max: 100 }),
  outlier: fc.boolean(),
}).map((t) => TrafficPolicy.of({
  maxConnections: t.maxConnections,
  maxRequestsPerConnection: t.maxRequestsPerConnection,
  idleTimeout: t.idleSeconds === undefined ? undefined : Duration.seconds(t.idleSeconds),
  consecutive5xxErrors: t.consecutive5xxErrors,
  maxEjectionPercent: t.maxEjectionPercent,
  outlierDetection: t.outlier,
}));

const validProps = fc.record({
  id: label,
  port: fc.integer({ min: 1, max: 65535 }),
  servicePort: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  protocol,
  version: label,
  replicas: fc.integer({ min: 0, max: 10 }),
  namespace: fc.option(label, { nil: undefined }),
  sidecar: fc.option(sidecar, { nil: undefined }),
  trafficPolicy: fc.option(traffic, { nil: undefined }),
  timeoutMs: fc.option(fc.integer({ min: 1, max: 60000 }), { nil: undefined }),
  retries: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  beta: fc.boolean(),
  extraVersions: fc.uniqueArray(label, { maxLength: 2 }),
  disruptionBudget: fc.option(budget, { nil: undefined }),
  spread: fc.option(spread, { nil: undefined }),
  graceSeconds: fc.option(fc.integer({ min: 30, max: 600 }), { nil: undefined }),
});

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
    sidecar: p.sidecar,
    trafficPolicy: p.trafficPolicy,
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
      expect(JSON.stringify(objs)).not.toContain('undefined');
      outputs.push(objs);
    }), { numRuns: 60, seed: 42 });
    validated.add(...outputs);
  });
  validated.test('the output of arbitrary valid props passes the shared strict validator');

  const invalid = fc.oneof(
    fc.record({ port: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 }), fc.double({ min: 1.1, max: 2.9, noInteger: true })) }),
    fc.record({ replicas: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 9.9, noInteger: true })) }),
    fc.record({ image: fc.constantFrom('', '   ', 'a b') }),
    fc.record({ version: fc.stringMatching(/^[A-Z_.]{1,8}$/) }),
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
