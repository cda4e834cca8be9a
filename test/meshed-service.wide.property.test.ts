// Property test over the whole valid range of MeshedService and setRouting, not a comfortable
// middle: names up to 63 characters with their version suffix, any port, counts up to int32,
// CPU limits in millicores (fractional cores), durations from 1 ms, up to four versions with any
// split and a fractional mirror. Every generated input is valid, so any error fails the test.
import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { DisruptionBudget, MeshedService, MeshProtocol, RetryPolicy, SidecarTuning, TopologySpread, TrafficPolicy } from '../src';
import { all, chart, ForValidator, Obj, only, synth } from './util';

const INT32_MAX = 2 ** 31 - 1;
/** Integers from `min` to `max`, the two ends drawn often (where off-by-one mistakes live). */
const edgy = (min: number, max: number) =>
  fc.oneof({ arbitrary: fc.constantFrom(min, max), weight: 1 }, { arbitrary: fc.integer({ min, max }), weight: 2 });
const count = edgy(1, INT32_MAX);
const ms = edgy(1, 30 * 24 * 3600 * 1000);
const dnsLabel = (max: number) => fc.integer({ min: 1, max }).chain((n) => fc.stringMatching(new RegExp(`^[a-z0-9]([-a-z0-9]{0,${Math.max(0, n - 2)}}[a-z0-9])?$`)));
/** A DNS-1035 label of exactly `n` characters. */
const serviceNameOf = (n: number) => fc.stringMatching(n === 1 ? /^[a-z]$/ : new RegExp(`^[a-z][-a-z0-9]{${n - 2}}[a-z0-9]$`));
const SUBDOMAIN_253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
const subdomain = fc.oneof(
  fc.constant(SUBDOMAIN_253),
  fc.array(dnsLabel(63), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.')).filter((x) => x.length <= 253),
);

const sidecar = fc.record({
  limitMillis: fc.integer({ min: 1, max: 64000 }),
  requestShare: fc.double({ min: 0, max: 1, noNaN: true }),
  memRequestKi: fc.integer({ min: 1, max: 64 * 1024 * 1024 }),
  memExtraKi: fc.integer({ min: 0, max: 64 * 1024 * 1024 }),
  workersShare: fc.double({ min: 0, max: 1, noNaN: true }),
}).map((s) => {
  const cores = Math.ceil(s.limitMillis / 1000);
  return SidecarTuning.of({
    concurrency: Math.max(1, Math.ceil(cores * s.workersShare)),
    cpu: { request: Cpu.millis(Math.max(1, Math.floor(s.limitMillis * s.requestShare))), limit: Cpu.millis(s.limitMillis) },
    memory: { request: Size.kibibytes(s.memRequestKi), limit: Size.kibibytes(s.memRequestKi + s.memExtraKi) },
  });
});

const traffic = fc.record({
  maxConnections: count,
  maxPendingRequests: fc.option(count, { nil: undefined }),
  maxRequests: fc.option(count, { nil: undefined }),
  maxRequestsPerConnection: fc.option(count, { nil: undefined }),
  consecutive5xxErrors: fc.option(count, { nil: undefined }),
  maxEjectionPercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  idleTimeout: fc.option(ms, { nil: undefined }),
  tcpKeepaliveTime: fc.option(ms, { nil: undefined }),
  tcpKeepaliveInterval: fc.option(ms, { nil: undefined }),
  maxConnectionDuration: fc.option(ms, { nil: undefined }),
  interval: fc.option(ms, { nil: undefined }),
  baseEjectionTime: fc.option(ms, { nil: undefined }),
});

/** A split of 100 over `n` versions, any shares (some may be 0). */
const split = (n: number) => fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
  const points = [0, ...cuts.sort((a, b) => a - b), 100];
  return points.slice(1).map((p, i) => p - points[i]);
});

const input = fc.record({
  port: edgy(1, 65535),
  servicePort: edgy(1, 65535),
  protocol: fc.constantFrom(MeshProtocol.HTTP, MeshProtocol.HTTP2, MeshProtocol.GRPC, MeshProtocol.TCP),
  versions: fc.uniqueArray(dnsLabel(12), { minLength: 1, maxLength: 4 }),
  replicas: fc.array(edgy(0, INT32_MAX), { minLength: 4, maxLength: 4 }),
  serviceAccountName: fc.option(subdomain, { nil: undefined }),
  sidecar: fc.option(sidecar, { nil: undefined }),
  traffic: fc.option(traffic, { nil: undefined }),
  timeout: fc.option(ms, { nil: undefined }),
  attempts: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  graceSeconds: edgy(1, INT32_MAX),
  maxSkew: edgy(1, INT32_MAX),
  budgetShare: fc.double({ min: 0, max: 1, noNaN: true }),
  mirror: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
}).chain((p) => split(p.versions.length).map((weights) => ({ ...p, weights })))
  // the Deployment of every version is named `<name>-<version>`, at most 63 characters: names up to that
  .chain((p) => edgy(1, 63 - 1 - Math.max(...p.versions.map((v) => v.length))).chain(serviceNameOf).map((name) => ({ ...p, name })));

const ms2 = (n: number | undefined) => (n === undefined ? undefined : Duration.millis(n));

function build(p: any): { objs: Obj[]; service: MeshedService } {
  const { chart: c } = chart();
  const http = p.protocol !== MeshProtocol.TCP;
  const [first, ...more] = p.versions as string[];
  const replicasOf = (i: number) => p.replicas[i];
  // a budget below each version's replicas: maxUnavailable from 1 to replicas - 1 of the smallest
  const smallest = Math.min(...p.versions.map((_: string, i: number) => replicasOf(i)));
  const disruptionBudget = smallest >= 2
    ? DisruptionBudget.maxUnavailable(1 + Math.floor((smallest - 2) * p.budgetShare))
    : DisruptionBudget.defaults();
  const t = p.traffic;
  const service = new MeshedService(c, 'svc', {
    name: p.name,
    image: 'ghcr.io/acme/shop:1.0',
    port: p.port,
    servicePort: p.servicePort,
    protocol: p.protocol,
    version: first,
    replicas: replicasOf(0),
    serviceAccountName: p.serviceAccountName,
    sidecar: p.sidecar,
    trafficPolicy: t && TrafficPolicy.of({
      ...t,
      idleTimeout: ms2(t.idleTimeout),
      tcpKeepaliveTime: ms2(t.tcpKeepaliveTime),
      tcpKeepaliveInterval: ms2(t.tcpKeepaliveInterval),
      maxConnectionDuration: ms2(t.maxConnectionDuration),
      interval: ms2(t.interval),
      baseEjectionTime: ms2(t.baseEjectionTime),
    }),
    timeout: http ? ms2(p.timeout) : undefined,
    retries: http && p.attempts !== undefined ? RetryPolicy.of({ attempts: p.attempts }) : undefined,
    terminationGracePeriod: Duration.seconds(p.graceSeconds),
    spread: TopologySpread.of({ maxSkew: p.maxSkew }),
    disruptionBudget,
  });
  more.forEach((v, i) => service.addVersion(v, { replicas: replicasOf(i + 1) }));
  service.setRouting(new Construct(c, 'owner'), {
    weights: p.versions.map((version: string, i: number) => ({ version, weight: p.weights[i] })),
    mirrorVersion: http && p.mirror !== undefined ? p.versions[p.versions.length - 1] : undefined,
    mirrorPercent: http ? p.mirror : undefined,
  });
  return { objs: synth(c), service };
}

describe('MeshedService over its whole valid range', () => {
  const validated = new ForValidator();
  test('every valid input synthesizes, and what was asked for is what is written', () => {
    const outputs: Obj[][] = [];
    fc.assert(fc.property(input, (p) => {
      const { objs, service } = build(p);
      const deployments = all(objs, 'Deployment');
      expect(deployments.map((d) => d.metadata.name)).toEqual(p.versions.map((v: string) => `${p.name}-${v}`));
      deployments.forEach((d, i) => {
        expect(d.metadata.name!.length).toBeLessThanOrEqual(63);
        expect(d.spec.replicas).toBe(p.replicas[i]);
        expect(d.spec.template.spec.containers[0].ports[0].containerPort).toBe(p.port);
        expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(p.graceSeconds);
        expect(d.spec.template.spec.serviceAccountName).toBe(p.serviceAccountName ?? p.name);
      });
      const host = only(objs, 'Service', p.name);
      expect(host.spec.ports[0]).toMatchObject({ port: p.servicePort, targetPort: p.port, name: p.protocol, appProtocol: p.protocol });
      // the host's Service selects the primary version: the largest share, the first version on a tie
      const top = Math.max(...p.weights);
      const primary = p.weights[0] === top ? p.versions[0] : p.versions[p.weights.indexOf(top)];
      expect(host.spec.selector).toEqual({ app: p.name, version: primary });
      expect(service.primaryVersion).toBe(primary);

      const vs = only(objs, 'VirtualService');
      const routes = p.protocol === MeshProtocol.TCP ? vs.spec.tcp[0].route : vs.spec.http.find((h: any) => h.name === 'default').route;
      const shares = routes.map((r: any) => r.weight ?? 100);
      expect(shares.reduce((a: number, b: number) => a + b, 0)).toBe(100);
      expect(routes).toHaveLength(p.weights.filter((w: number) => w > 0).length);
      if (p.protocol !== MeshProtocol.TCP && p.mirror !== undefined) {
        expect(vs.spec.http.find((h: any) => h.name === 'default').mirrorPercentage).toEqual({ value: p.mirror });
      }
      for (const dr of all(objs, 'DestinationRule')) {
        expect(dr.spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(p.traffic?.maxConnections ?? 1024);
      }
      expect(JSON.stringify(objs)).not.toContain('undefined');
      if (outputs.length < 40) outputs.push(objs);
    }), { numRuns: 80, seed: 18 });
    validated.add(...outputs);
  });
  validated.test('the output of inputs over the whole valid range passes the shared strict validator');
});
