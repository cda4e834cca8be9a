import { Chart } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  CallerIdentity, DependencyGraph, ExternalProtocol, ExternalService, MeshedService, MeshedServiceProps, MeshProtocol, SidecarTuning, TrafficPolicy,
  UpstreamProtocol,
} from '../../src/index';
import { all, chart, expectMeshError, synth } from '../util';

// Edges of the dependency graph (issue 18): each test fails when the guarded line is broken.

function svc(scope: Construct, id: string, replicas = 2, props: Partial<MeshedServiceProps> = {}): MeshedService {
  return new MeshedService(scope, id, { image: `ghcr.io/acme/${id}:1.0.0`, port: 8080, replicas, ...props });
}
const noSidecar = { injectSidecar: false };
const workers = (n: number) => ({ sidecar: SidecarTuning.of({ concurrency: n }) });

function db(scope: Construct, props: { capacity?: number; maxConnections?: number; protocol?: ExternalProtocol } = {}) {
  return new ExternalService(scope, 'db', {
    host: 'db.data.svc.cluster.local',
    ports: [{ number: 5432, protocol: props.protocol ?? ExternalProtocol.TCP }],
    endpoints: 4,
    maxInboundConnections: props.capacity,
    trafficPolicy: props.maxConnections ? TrafficPolicy.of({ maxConnections: props.maxConnections }) : undefined,
  });
}

describe('DependencyGraph edges', () => {
  describe('workloads without a sidecar', () => {
    test('a caller without a sidecar: no Envoy pools and no cap, its own pool only (TCP)', () => {
      const { chart: c } = chart();
      const job = svc(c, 'job', 3, noSidecar);
      const d = db(c, { maxConnections: 10 });
      job.talksTo(d, { connections: 7 });
      const conn = DependencyGraph.of(c).connectionsOf(job.dependencies[0]);
      expect(conn).toMatchObject({
        protocol: UpstreamProtocol.TCP,
        workers: 0,
        allCores: false,
        callerReplicas: 3,
        clusters: [],
        floorPerProxy: 7,
        worstCasePerProxy: 7,
        floor: 21,
        worstCase: 21,
        method: 'no sidecar: its own pool of 7',
        unboundedBecause: undefined,
      });
      // and the library writes no DestinationRule for it: the cap is never applied to its calls
      expect(all(synth(c), 'DestinationRule').filter((o) => o.metadata.name?.startsWith('job-to-'))).toEqual([]);
    });

    test('a caller without a sidecar and without a pool is unbounded even under a maxConnections cap', () => {
      const { chart: c } = chart();
      const job = svc(c, 'job', 3, noSidecar);
      const d = db(c, { maxConnections: 10, capacity: 1000 });
      job.talksTo(d);
      const conn = DependencyGraph.of(c).connectionsOf(job.dependencies[0]);
      expect(conn.worstCase).toBeUndefined();
      expect(conn.unboundedBecause).toBe('job has no sidecar, so no maxConnections caps its calls, and it declares no pool size (talksTo connections) for TCP db.data.svc.cluster.local');
      expectMeshError(() => synth(c), 'test/db', /maxInboundConnections cannot be checked: job has no sidecar, so no maxConnections caps its calls/);
    });

    test('the same caller with a sidecar is bounded by the cap (what the sidecar-less case must not borrow)', () => {
      const { chart: c } = chart();
      const job = svc(c, 'job', 3, workers(2));
      const d = db(c, { maxConnections: 10 });
      job.talksTo(d);
      expect(DependencyGraph.of(c).connectionsOf(job.dependencies[0])).toMatchObject({ workers: 2, worstCasePerProxy: 10 + 4 * 2, floorPerProxy: 1 });
    });

    test('HTTP/1.1 without a sidecar: one connection per request in flight', () => {
      const { chart: c } = chart();
      const job = svc(c, 'job', 2, noSidecar);
      const legacy = svc(c, 'legacy', 5, noSidecar);
      job.talksTo(legacy, { concurrentRequests: 7 });
      const g = DependencyGraph.of(c);
      expect(g.connectionsOf(job.dependencies[0]))
        .toMatchObject({ protocol: UpstreamProtocol.HTTP1, floorPerProxy: 1, worstCasePerProxy: 7, worstCase: 14, clusters: [] });
      const other = svc(c, 'other', 1, noSidecar);
      other.talksTo(legacy);
      expect(g.connectionsOf(other.dependencies[0]).unboundedBecause).toMatch(/other has no sidecar, so no maxConnections caps its calls, and it declares no concurrentRequests for HTTP\/1.1 legacy/);
    });

    test('HTTP/2 without a sidecar: one connection, or one per streamsPerConnection requests', () => {
      const { chart: c } = chart();
      const grpc = svc(c, 'grpc', 5, { ...noSidecar, protocol: MeshProtocol.GRPC });
      const a = svc(c, 'a', 1, noSidecar);
      const b = svc(c, 'b', 1, noSidecar);
      const e = svc(c, 'e', 1, noSidecar);
      a.talksTo(grpc);
      b.talksTo(grpc, { concurrentRequests: 25, streamsPerConnection: 10 });
      e.talksTo(grpc, { streamsPerConnection: 10 });
      const g = DependencyGraph.of(c);
      expect(g.connectionsOf(a.dependencies[0])).toMatchObject({ protocol: UpstreamProtocol.HTTP2, worstCasePerProxy: 1, method: 'no sidecar: HTTP/2, one connection' });
      expect(g.connectionsOf(b.dependencies[0])).toMatchObject({ worstCasePerProxy: 3, method: 'no sidecar: HTTP/2, 25 streams / 10 per connection' });
      expect(g.connectionsOf(e.dependencies[0])).toMatchObject({ worstCasePerProxy: undefined, floorPerProxy: 1 });
      expect(g.connectionsOf(e.dependencies[0]).unboundedBecause).toMatch(/e has no sidecar.*limits streams per connection to grpc but declares no concurrentRequests/);
    });

    test('over capacity with a caller without a sidecar: no maxConnections fix is offered', () => {
      const { chart: c } = chart();
      const job = svc(c, 'job', 4, noSidecar);
      const d = db(c, { capacity: 30, maxConnections: 1 });
      job.talksTo(d, { connections: 10 });
      expectMeshError(() => synth(c), 'test/db',
        /maxInboundConnections is below the 40 connections its callers may hold together in the worst case \(floor 40; job: 4 replicas × 10 \(no sidecar: its own pool of 10\) = 40\), got 30: lower the connection pool \(talksTo connections\) or replicas of job.*raise maxInboundConnections to 40 \(a maxConnections cap cannot fix it: job has no sidecar to apply it\)/);
      expect(() => synth(c)).not.toThrow(/TrafficPolicy\.of\(\{ maxConnections/);
    });

    test('a caller without a sidecar may call a callee without one; calling a meshed callee is refused (no mTLS identity)', () => {
      const { chart: c } = chart();
      const job = svc(c, 'job', 1, noSidecar);
      const legacy = svc(c, 'legacy', 1, noSidecar);
      job.talksTo(legacy);
      expect(() => synth(c)).not.toThrow();
      const api = svc(c, 'api', 1);
      job.talksTo(api);
      expectMeshError(() => synth(c), 'test/job', /talksTo would be denied by the AuthorizationPolicy of test\/api: job has no sidecar/);
    });

    test('a meshed caller may call a callee without a sidecar in another namespace: nothing there enforces a policy', () => {
      const { app, chart: c } = chart('shop');
      const other = new Chart(app, 'other', { namespace: 'other' });
      const legacy = svc(other, 'legacy', 1, noSidecar);
      const api = svc(c, 'api', 1);
      api.talksTo(legacy);
      expect(() => app.synth()).not.toThrow();
      // while a meshed callee there refuses it unless it says so
      const guarded = svc(other, 'guarded', 1);
      api.talksTo(guarded);
      expect(() => app.synth()).toThrow(/talksTo is in namespace "other", and its AuthorizationPolicy would deny api from namespace "shop"/);
      guarded.allowCallsFrom(CallerIdentity.of(api));
      expect(() => app.synth()).not.toThrow();
    });

    test('accepts: never a caller without a sidecar, even in the callee\'s namespace', () => {
      const { chart: c } = chart();
      const api = svc(c, 'api', 1);
      const job = svc(c, 'job', 1, noSidecar);
      const web = svc(c, 'web', 1);
      const g = DependencyGraph.of(c);
      expect(g.accepts(api, web)).toBe(true);
      expect(g.accepts(api, job)).toBe(false);
    });

    test('a service without a sidecar gets no Sidecar and no scoping, whatever it calls', () => {
      const { chart: c } = chart();
      const job = svc(c, 'job', 1, noSidecar);
      const api = svc(c, 'api', 1);
      const legacy = svc(c, 'legacy', 1, noSidecar);
      job.talksTo(legacy);
      api.talksTo(legacy);
      const g = DependencyGraph.of(c);
      const jb = g.proxyBudgetOf(job);
      expect(jb.scoped).toBe(false);
      expect(jb.scopedClusters).toBe(jb.unscopedClusters);
      const ab = g.proxyBudgetOf(api);
      expect(ab.scoped).toBe(true);
      expect(ab.scopedClusters).toBeLessThan(ab.unscopedClusters);
      expect(all(synth(c), 'Sidecar').map((o) => o.metadata.name)).toEqual(['api']);
      // the report lists proxies only for services that have one
      expect(JSON.parse(g.toJson()).proxies.map((p: any) => p.service)).toEqual(['api']);
    });
  });

  describe('versions in budgets', () => {
    test('each version\'s cluster counts that version\'s replicas, not the other version\'s or all of them', () => {
      const { chart: c } = chart();
      const api = svc(c, 'api', 3, { protocol: MeshProtocol.TCP, trafficPolicy: TrafficPolicy.of({ maxConnections: 10 }) });
      api.addVersion('v2', { replicas: 1 });
      const web = svc(c, 'web', 1, workers(2));
      web.talksTo(api, { connections: 100 });
      const conn = DependencyGraph.of(c).connectionsOf(web.dependencies[0]);
      expect(conn.clusters.map((k) => [k.cluster, k.endpoints, k.warmFloor, k.softCapOvershoot, k.hardLimit])).toEqual([
        ['outbound|8080||api-v1.shop.svc.cluster.local', 3, 6, 6, 16],
        ['outbound|8080||api-v2.shop.svc.cluster.local', 1, 2, 2, 12],
      ]);
      expect(conn).toMatchObject({ worstCasePerProxy: 28, method: 'min(pool 100, maxConnections 10 + 3 endpoints × 2 workers + maxConnections 10 + 1 endpoints × 2 workers)' });
    });

    test('a caller with two versions counts the replicas of both', () => {
      const { chart: c } = chart();
      const api = svc(c, 'api', 1, { protocol: MeshProtocol.TCP });
      const web = svc(c, 'web', 3, workers(2));
      web.addVersion('v2', { replicas: 2 });
      web.talksTo(api, { connections: 4 });
      const g = DependencyGraph.of(c);
      expect(g.connectionsOf(web.dependencies[0])).toMatchObject({ callerReplicas: 5, floor: 20, worstCase: 20 });
      expect(g.inboundBudgetOf(api)).toMatchObject({ floor: 20, worstCase: 20 });
      expect(g.proxyBudgetOf(web).replicas).toBe(5);
    });

    test('clusters and endpoints a proxy receives: the host, plus one per version\'s Service once there are two', () => {
      const { chart: c } = chart();
      const api = svc(c, 'api', 3);
      expect([api.outboundClusters, api.outboundEndpoints]).toEqual([1, 3]);
      api.addVersion('v2', { replicas: 1 });
      expect([api.outboundClusters, api.outboundEndpoints]).toEqual([3, 3 + 4]);
      api.addVersion('v3', { replicas: 2 });
      expect([api.outboundClusters, api.outboundEndpoints]).toEqual([4, 3 + 6]);
      const web = svc(c, 'web', 1);
      web.talksTo(api);
      const b = DependencyGraph.of(c).proxyBudgetOf(web);
      // 7 static + 4 istiod + 3 gateway + 1 inbound, + api's 4 clusters (scoped) or + api's and web's (unscoped)
      expect([b.scopedClusters, b.unscopedClusters]).toEqual([15 + 4, 15 + 4 + 1]);
      expect(b.scopedMemoryKiB).toBe(Math.round((19 * 42000 + (4 + 3 + 1 + 9) * 3000) / 1024));
    });
  });

  describe('workers and budget boundaries', () => {
    test.each([[1500, 2], [1000, 1], [1001, 2], [100, 1]])('concurrency 0 with a CPU limit of %pm: %p workers', (millis, n) => {
      const { chart: c } = chart();
      const web = svc(c, 'web', 1, { sidecar: SidecarTuning.of({ concurrency: 0, allowAllCores: true, cpu: { request: Cpu.millis(50), limit: Cpu.millis(millis) } }) });
      expect(DependencyGraph.of(c).proxyBudgetOf(web).workers).toBe(n);
    });

    test('TCP: a pool equal to the cap bound is the pool; one above is the cap bound', () => {
      const build = (pool: number) => {
        const { chart: c } = chart();
        const api = svc(c, 'api', 2, { protocol: MeshProtocol.TCP, trafficPolicy: TrafficPolicy.of({ maxConnections: 6 }) });
        const web = svc(c, 'web', 1, workers(2));
        web.talksTo(api, { connections: pool });
        return DependencyGraph.of(c).connectionsOf(web.dependencies[0]);
      };
      expect(build(10)).toMatchObject({ worstCasePerProxy: 10, floorPerProxy: 10, method: 'its own pool of 10, TCP 1:1' });
      expect(build(11)).toMatchObject({ worstCasePerProxy: 10, floorPerProxy: 10, method: 'min(pool 11, maxConnections 6 + 2 endpoints × 2 workers)' });
    });

    test('TCP without a pool under a cap: the cap bound; without either: unbounded', () => {
      const { chart: c } = chart();
      const api = svc(c, 'api', 2, { protocol: MeshProtocol.TCP, trafficPolicy: TrafficPolicy.of({ maxConnections: 6 }) });
      const web = svc(c, 'web', 1, workers(2));
      web.talksTo(api);
      expect(DependencyGraph.of(c).connectionsOf(web.dependencies[0])).toMatchObject({ worstCasePerProxy: 10, floorPerProxy: 1, method: 'no pool declared, maxConnections 6 + 2 endpoints × 2 workers' });
    });

    test('HTTP/1.1: demand equal to the cap bound keeps the demand\'s method; a lower cap bound wins', () => {
      const build = (cap: number) => {
        const { chart: c } = chart();
        const api = svc(c, 'api', 2, { trafficPolicy: TrafficPolicy.of({ maxConnections: cap }) });
        const web = svc(c, 'web', 1, workers(2));
        web.talksTo(api, { concurrentRequests: 6 });
        return DependencyGraph.of(c).connectionsOf(web.dependencies[0]);
      };
      // floor 2 workers × 2 endpoints = 4; demand bound 4 + 6 = 10; cap bound cap + 4
      expect(build(6)).toMatchObject({ worstCasePerProxy: 10, method: 'HTTP/1.1: 2 workers × 2 endpoints warm + 6 in flight' });
      expect(build(5)).toMatchObject({ worstCasePerProxy: 9, method: 'HTTP/1.1 up to the soft cap: maxConnections 5 + 2 endpoints × 2 workers' });
    });

    test('HTTP/2: streams round up; equal demand and streams is one more connection per worker-host', () => {
      const build = (demand: number, streams: number) => {
        const { chart: c } = chart();
        const api = svc(c, 'api', 2, { protocol: MeshProtocol.HTTP2 });
        const web = svc(c, 'web', 1, workers(2));
        web.talksTo(api, { concurrentRequests: demand, streamsPerConnection: streams });
        return DependencyGraph.of(c).connectionsOf(web.dependencies[0]);
      };
      expect(build(10, 10).worstCasePerProxy).toBe(4 + 1);
      expect(build(11, 10).worstCasePerProxy).toBe(4 + 2);
    });

    test('capacity equal to the worst case passes; one less fails', () => {
      const build = (capacity: number) => {
        const { chart: c } = chart();
        const api = svc(c, 'api', 1, { protocol: MeshProtocol.TCP, maxInboundConnections: capacity });
        const web = svc(c, 'web', 3, workers(2));
        web.talksTo(api, { connections: 5 });
        return c;
      };
      expect(() => synth(build(15))).not.toThrow();
      expectMeshError(() => synth(build(14)), 'test/api', /maxInboundConnections is below the 15 connections/);
    });

    test('a proxy budget with an unbounded dependency has no worst case; all bounded ones add up', () => {
      const { chart: c } = chart();
      const a = svc(c, 'a', 1, { protocol: MeshProtocol.TCP });
      const b = svc(c, 'b', 1, { protocol: MeshProtocol.TCP });
      const web = svc(c, 'web', 1, workers(2));
      web.talksTo(a, { connections: 3 });
      web.talksTo(b, { connections: 4 });
      const g = DependencyGraph.of(c);
      expect(g.proxyBudgetOf(web)).toMatchObject({ floorConnectionsPerProxy: 7, worstCaseConnectionsPerProxy: 7 });
      web.talksTo(db(c)); // no pool, no cap
      expect(g.proxyBudgetOf(web).worstCaseConnectionsPerProxy).toBeUndefined();
    });

    test('cluster estimate options: revisions add istiod clusters, gateway ports add theirs; ranges checked', () => {
      const { chart: c } = chart();
      const web = svc(c, 'web', 1);
      const g = DependencyGraph.of(c);
      const base = g.proxyBudgetOf(web).unscopedClusters;
      expect(g.proxyBudgetOf(web, { controlPlaneRevisions: 2 }).unscopedClusters).toBe(base + 4);
      expect(g.proxyBudgetOf(web, { gatewayPorts: 0 }).unscopedClusters).toBe(base - 3);
      expect(g.proxyBudgetOf(web, { gatewayPorts: 65535 }).unscopedClusters).toBe(base - 3 + 65535);
      expect(() => g.proxyBudgetOf(web, { gatewayPorts: -1 })).toThrow(/gatewayPorts must be a whole number from 0 to 65535, got -1/);
      expect(() => g.proxyBudgetOf(web, { gatewayPorts: 65536 })).toThrow(/gatewayPorts must be a whole number from 0 to 65535/);
      expect(() => g.proxyBudgetOf(web, { controlPlaneRevisions: 0 })).toThrow(/controlPlaneRevisions must be a whole number from 1/);
    });
  });
});

describe('DependencyGraph remaining branches', () => {
  const tcpDb = (c: Construct, capacity: number, maxConnections = 20) => new ExternalService(c, 'db', {
    host: 'db.data.svc.cluster.local',
    ports: [{ number: 5432, protocol: ExternalProtocol.TCP }],
    endpoints: 1,
    maxInboundConnections: capacity,
    trafficPolicy: TrafficPolicy.of({ maxConnections }),
  });
  test.each([
    // 10 replicas × pool 10 = 100 > capacity; per proxy capacity/10, minus the overshoot 1 endpoint × 2 workers
    [60, /TrafficPolicy\.of\(\{ maxConnections: 4 \}\) on test\/db \(per cluster, plus Envoy's soft-cap overshoot of 2 per proxy: ≤ 6 per proxy\)/],
    [30, /TrafficPolicy\.of\(\{ maxConnections: 1 \}\)/],
    [29, /raise maxInboundConnections to 100 \(a maxConnections cap cannot fix it: Envoy lets each proxy exceed it by one connection per endpoint per worker, 2 here, against 2 per proxy\)/],
  ])('over capacity %p: the maxConnections fix only while it leaves room', (capacity, message) => {
    const { chart: c } = chart();
    const web = svc(c, 'web', 10, workers(2));
    tcpDb(c, capacity as number);
    web.talksTo(DependencyGraph.of(c).externalServices[0], { connections: 10 });
    expectMeshError(() => synth(c), 'test/db', message as RegExp);
  });
  test('over capacity with callers on all cores: no cap is offered, and no overshoot number', () => {
    const { chart: c } = chart();
    const web = svc(c, 'web', 10, { sidecar: SidecarTuning.of({ concurrency: 0, allowAllCores: true, cpu: { request: Cpu.millis(100), limit: Cpu.millis(2000) } }) });
    web.talksTo(tcpDb(c, 50), { connections: 10 });
    expectMeshError(() => synth(c), 'test/db', /raise maxInboundConnections to 100 \(a maxConnections cap cannot fix it: Envoy lets each proxy exceed it by one connection per endpoint per worker\)$/);
  });
  test('HTTP/2 with a stream limit but no demand, and no cap: unbounded', () => {
    const { chart: c } = chart();
    const web = svc(c, 'web', 1, workers(2));
    const h2 = new ExternalService(c, 'h2', { host: 'h2.data.svc.cluster.local', ports: [{ number: 8443, protocol: ExternalProtocol.GRPC }], endpoints: 2 });
    web.talksTo(h2, { streamsPerConnection: 100 });
    const conn = DependencyGraph.of(c).connectionsOf(web.dependencies[0]);
    expect(conn).toMatchObject({ protocol: UpstreamProtocol.HTTP2, floorPerProxy: 4, worstCasePerProxy: undefined, method: 'HTTP/2, no bound' });
    expect(conn.unboundedBecause).toBe('web limits streams per connection to h2.data.svc.cluster.local but declares no concurrentRequests, and no maxConnections caps its proxies');
  });
  test('the report on all cores: overshoot unknown in Markdown, null in JSON', () => {
    const { chart: c } = chart();
    const web = svc(c, 'web', 1, { sidecar: SidecarTuning.of({ concurrency: 0, allowAllCores: true, cpu: { request: Cpu.millis(100), limit: Cpu.millis(2000) } }) });
    web.talksTo(tcpDb(c, 500), { connections: 10 });
    const g = DependencyGraph.of(c);
    expect(JSON.parse(g.toJson()).proxies[0].upstreams[0].clusters[0]).toMatchObject({ maxConnections: 20, softCapOvershoot: null, hardLimit: null });
    expect(g.toMarkdown()).toMatch(/\| 1 \| 20 \| unknown \| 10 \/ 10 \|/);
  });
  test('a report with no proxy at all: zero means and a ratio of 1', () => {
    const { chart: c } = chart();
    svc(c, 'job', 1, noSidecar);
    expect(JSON.parse(DependencyGraph.of(c).toJson()).summary)
      .toEqual({ proxies: 0, scopedProxies: 0, meanScopedClusters: 0, meanUnscopedClusters: 0, ratio: 1 });
  });
});
