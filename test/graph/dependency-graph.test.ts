import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  DefaultDeny, DependencyConnections, DependencyGraph, ExternalProtocol, ExternalService, ICallee, MeshedService, MeshedServiceProps, MeshProtocol,
  SidecarTuning, TrafficPolicy, UpstreamProtocol,
} from '../../src/index';
import { all, chart, expectMeshError, Obj, only, synth } from '../util';

/**
 * The seed's story, on the right model: `orders` talks to its Postgres through a pooler fleet of
 * 50 pods (TCP). The old formula said one proxy opens 16 workers × 50 endpoints = 800; TCP is 1:1,
 * so what matters is the app's own pool per replica: 16 replicas × a pool of 50 = 800, against a
 * database that takes 500.
 */
interface SeedOptions {
  readonly capacity?: number;
  readonly maxConnections?: number;
  readonly concurrency?: number;
  readonly allCores?: boolean;
  readonly replicas?: number;
  readonly pool?: number | null;
  readonly endpoints?: number;
}

function seed(opts: SeedOptions = {}) {
  const { chart: c } = chart();
  const orders = new MeshedService(c, 'orders', {
    image: 'ghcr.io/acme/orders:1.0.0',
    port: 8080,
    replicas: opts.replicas ?? 16,
    sidecar: SidecarTuning.of({
      concurrency: opts.allCores ? 0 : opts.concurrency ?? 16, allowAllCores: opts.allCores, cpu: { request: Cpu.millis(500), limit: Cpu.units(16) },
    }),
  });
  const db = new ExternalService(c, 'orders-db', {
    host: 'orders-db.data.svc.cluster.local',
    ports: [{ number: 5432, protocol: ExternalProtocol.TCP }],
    endpoints: opts.endpoints ?? 50,
    maxInboundConnections: opts.capacity ?? 500,
    trafficPolicy: opts.maxConnections ? TrafficPolicy.of({ maxConnections: opts.maxConnections }) : undefined,
  });
  orders.talksTo(db, { connections: opts.pool === null ? undefined : opts.pool ?? 50 });
  return { c, orders, db };
}

function svc(scope: Construct, id: string, replicas = 2, props: Partial<MeshedServiceProps> = {}): MeshedService {
  return new MeshedService(scope, id, { image: `ghcr.io/acme/${id}:1.0.0`, port: 8080, replicas, ...props });
}

/**
 * Checks the budget's clusters against the synthesized objects of a MeshedService callee: one
 * cluster per host its VirtualService routes to, holding the pods that host's Service selects,
 * capped by that host's DestinationRule.
 */
function expectClustersFromSynth(objs: Obj[], callee: MeshedService, conn: DependencyConnections): void {
  const vs = only(objs, 'VirtualService', callee.name);
  const rules = [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? [])];
  const hosts = [...new Set(rules.flatMap((r: any) => r.route.map((d: any) => d.destination.host)))] as string[];
  const versionHosts = callee.versions.map((v) => callee.hostOf(v));
  const ordered = hosts.length === 1 && !versionHosts.includes(hosts[0]) ? hosts : versionHosts;
  const pods = (selector: Record<string, string>) => all(objs, 'Deployment').filter((d) => Object.entries(selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v))
    .reduce((n, d) => n + d.spec.replicas, 0);
  expect(conn.clusters.map((k) => [k.cluster, k.endpoints, k.maxConnections])).toEqual(ordered.map((host) => {
    const name = host.split('.')[0];
    const service = only(objs, 'Service', name);
    const dr = only(objs, 'DestinationRule', name);
    expect(dr.spec.host).toBe(host);
    return [`outbound|${callee.servicePort}||${host}`, pods(service.spec.selector), dr.spec.trafficPolicy.connectionPool.tcp.maxConnections];
  }));
}

describe('DependencyGraph: the connection budget per protocol', () => {
  test('fails on the seed\'s story: TCP is 1:1, 16 replicas × a pool of 50 = 800 against 500', () => {
    const { c, orders, db } = seed();
    const conn = DependencyGraph.of(c).connectionsOf(orders.dependencies[0]);
    expect(conn).toMatchObject({
      protocol: UpstreamProtocol.TCP, callerReplicas: 16, floorPerProxy: 50, worstCasePerProxy: 50, floor: 800, worstCase: 800,
    });
    expect(conn.clusters).toEqual([{ cluster: 'outbound|5432||orders-db.data.svc.cluster.local', endpoints: 50, maxConnections: undefined, warmFloor: 800, softCapOvershoot: 800, hardLimit: undefined }]);
    expect(DependencyGraph.of(c).inboundBudgetOf(db)).toMatchObject({ floor: 800, worstCase: 800, capacity: 500 });
    expectMeshError(() => synth(c), 'test/orders-db', new RegExp(
      'maxInboundConnections is below the 800 connections its callers may hold together in the worst case \\(floor 800; orders: 16 replicas × 50 \\(its own pool of 50, TCP 1:1\\) = 800\\), got 500: '
      + 'lower the connection pool \\(talksTo connections\\) or replicas of orders \\(TCP is 1:1: sidecar concurrency changes nothing\\); or raise maxInboundConnections to 800 '
      + '\\(a maxConnections cap cannot fix it: Envoy lets each proxy exceed it by one connection per endpoint per worker, 800 here, against 31 per proxy\\)'));
  });

  test('the old formula (workers × endpoints per proxy) is wrong for TCP: sidecar concurrency changes nothing', () => {
    // The seed as first told: 1 replica with 16 workers and 50 endpoints. The old formula said 800
    // from that one proxy; over TCP it opens what its app opens, a pool of 50.
    const first = seed({ replicas: 1 });
    const one = DependencyGraph.of(first.c).connectionsOf(first.orders.dependencies[0]);
    expect(16 * 50).toBe(800); // the old answer: workers × endpoints
    expect(one).toMatchObject({ workers: 16, worstCasePerProxy: 50, worstCase: 50 });
    expect(() => synth(first.c)).not.toThrow(); // 50 of 500
    for (const concurrency of [2, 8, 16]) {
      const { c, orders } = seed({ concurrency });
      const conn = DependencyGraph.of(c).connectionsOf(orders.dependencies[0]);
      const old = concurrency * 50 * 16; // min(workers × endpoints, no cap) × replicas
      expect(conn.worstCase).toBe(800);
      expect(conn.worstCase).not.toBe(old); // 1,600, 6,400 and 12,800 by the old formula
      // so "lower sidecar concurrency", the old fix, fixes nothing
      expectMeshError(() => synth(c), 'test/orders-db', /below the 800 connections/);
    }
  });

  test('each fix that works for the seed passes: a smaller pool, fewer replicas, more capacity', () => {
    expect(() => synth(seed({ pool: 31 }).c)).not.toThrow(); // 16 × 31 = 496
    expect(() => synth(seed({ replicas: 10 }).c)).not.toThrow(); // 10 × 50 = 500
    expect(() => synth(seed({ capacity: 800 }).c)).not.toThrow();
  });

  test('a maxConnections cap fixes it only where Envoy\'s soft-cap overshoot (endpoints × workers) is small', () => {
    // 50 endpoints × 16 workers: a cap of 30 still lets each proxy open all 50 of the pool
    const loose = seed({ maxConnections: 30 });
    const conn = DependencyGraph.of(loose.c).connectionsOf(loose.orders.dependencies[0]);
    expect(conn.clusters[0]).toMatchObject({ maxConnections: 30, softCapOvershoot: 800, hardLimit: 830 });
    expect(conn.worstCase).toBe(800);
    expectMeshError(() => synth(loose.c), 'test/orders-db', /below the 800 connections/);
    // one pooler endpoint and 2 workers: the error suggests a cap that bounds, and it works
    expectMeshError(() => synth(seed({ endpoints: 1, concurrency: 2 }).c), 'test/orders-db',
      /cap each calling proxy with trafficPolicy: TrafficPolicy.of\(\{ maxConnections: 29 \}\) on test\/orders-db \(per cluster, plus Envoy's soft-cap overshoot of 2 per proxy: ≤ 31 per proxy\)/);
    const tight = seed({ endpoints: 1, concurrency: 2, maxConnections: 29 });
    const t = DependencyGraph.of(tight.c).connectionsOf(tight.orders.dependencies[0]);
    expect(t).toMatchObject({ worstCasePerProxy: 31, worstCase: 496 }); // min(pool 50, 29 + 1 × 2) × 16
    expect(() => synth(tight.c)).not.toThrow();
  });

  test('fails when a TCP caller declares no pool and nothing caps it; with concurrency 0 a declared pool still bounds TCP', () => {
    expectMeshError(() => synth(seed({ pool: null }).c), 'test/orders-db',
      /maxInboundConnections cannot be checked: orders declares no pool size \(talksTo connections\) for TCP orders-db.data.svc.cluster.local, and no maxConnections caps its proxies.*declare what each replica opens/);
    const allCores = seed({ allCores: true, replicas: 8 });
    expect(DependencyGraph.of(allCores.c).connectionsOf(allCores.orders.dependencies[0])).toMatchObject({ allCores: true, worstCase: 400 });
    expect(() => synth(allCores.c)).not.toThrow();
  });

  test('HTTP/1.1: workers × endpoints is the warm floor; the worst case is floor + in-flight requests, or the soft cap', () => {
    const { chart: c } = chart();
    const api = svc(c, 'api', 3); // HTTP, the MeshedService default; DestinationRule maxConnections 1024
    const web = svc(c, 'web', 4, { sidecar: SidecarTuning.of({ concurrency: 2 }) });
    const job = svc(c, 'job', 1, { sidecar: SidecarTuning.of({ concurrency: 2 }) });
    web.talksTo(api, { concurrentRequests: 10 });
    job.talksTo(api);
    const g = DependencyGraph.of(c);
    const [w, j] = g.inboundBudgetOf(api).callers;
    expect(w).toMatchObject({ protocol: UpstreamProtocol.HTTP1, workers: 2, floorPerProxy: 6, worstCasePerProxy: 16, floor: 24, worstCase: 64 });
    expect(j).toMatchObject({ floorPerProxy: 6, worstCasePerProxy: 1030 }); // 1024 + 3 endpoints × 2 workers
    expect(j.clusters[0]).toMatchObject({ maxConnections: 1024, softCapOvershoot: 6, hardLimit: 1030 });
    expect(g.inboundBudgetOf(api)).toMatchObject({ floor: 30, worstCase: 1094 });
    expectClustersFromSynth(synth(c), api, w);
  });

  test('HTTP/1.1 to a canaried service: each subset is its own cluster, with the cap per version', () => {
    const build = (capacity: number) => {
      const { chart: c } = chart();
      const api = svc(c, 'api', 3, { maxInboundConnections: capacity });
      api.addVersion('v2', { replicas: 1 });
      const web = svc(c, 'web', 1, { sidecar: SidecarTuning.of({ concurrency: 2 }) });
      web.talksTo(api);
      return { c, api, conn: DependencyGraph.of(c).connectionsOf(web.dependencies[0]) };
    };
    const { c, api, conn } = build(2056);
    expect(conn.clusters.map((k) => [k.cluster, k.hardLimit])).toEqual([
      ['outbound|8080||api-v1.shop.svc.cluster.local', 1024 + 3 * 2],
      ['outbound|8080||api-v2.shop.svc.cluster.local', 1024 + 1 * 2],
    ]);
    expect(conn).toMatchObject({ floorPerProxy: 8, worstCasePerProxy: 2056 });
    expectClustersFromSynth(synth(c), api, conn);
    // one caller replica may hold twice the cap: a canary doubles what a caller may open
    expectMeshError(() => synth(build(2055).c), 'test/api',
      /below the 2056 connections .*web: 1 replica × 2056 \(HTTP\/1.1 up to the soft cap: maxConnections 1024 \+ 3 endpoints × 2 workers \+ maxConnections 1024 \+ 1 endpoints × 2 workers\) = 2056/);
  });

  test('HTTP/2 and gRPC: one connection per worker per host, more only past the callee\'s stream limit', () => {
    const { chart: c } = chart();
    const inv = svc(c, 'inventory', 3, { protocol: MeshProtocol.GRPC });
    const h2 = svc(c, 'h2', 2, { protocol: MeshProtocol.HTTP2 });
    const web = svc(c, 'web', 4, { sidecar: SidecarTuning.of({ concurrency: 2 }) });
    web.talksTo(inv, { concurrentRequests: 5000 }); // no stream limit: still one per worker per host
    web.talksTo(h2, { concurrentRequests: 1000, streamsPerConnection: 100 });
    const g = DependencyGraph.of(c);
    const [toInv, toH2] = web.dependencies.map((d) => g.connectionsOf(d));
    expect(toInv).toMatchObject({ protocol: UpstreamProtocol.HTTP2, floorPerProxy: 6, worstCasePerProxy: 6, worstCase: 24 });
    expect(toH2).toMatchObject({ protocol: UpstreamProtocol.HTTP2, floorPerProxy: 4, worstCasePerProxy: 14, worstCase: 56 }); // 2 × 2 + 1000 / 100
    expect(g.proxyBudgetOf(web)).toMatchObject({ floorConnectionsPerProxy: 10, worstCaseConnectionsPerProxy: 20 });
    const objs = synth(c);
    expectClustersFromSynth(objs, inv, toInv);
    expect(only(objs, 'Service', 'inventory').spec.ports[0].appProtocol).toBe('grpc');
  });

  test('an ExternalService port\'s protocol decides the model: HTTP/1.1, HTTP/2, TLS passed through as TCP', () => {
    const { chart: c } = chart();
    const ext = new ExternalService(c, 'ext', {
      host: 'api.example.com',
      endpoints: 2,
      ports: [
        { number: 80, protocol: ExternalProtocol.HTTP },
        { number: 443, protocol: ExternalProtocol.TLS },
        { number: 9000, protocol: ExternalProtocol.GRPC },
      ],
    });
    expect([80, 443, 9000].map((p) => ext.upstreamProtocolOf(p))).toEqual([UpstreamProtocol.HTTP1, UpstreamProtocol.TCP, UpstreamProtocol.HTTP2]);
    const a = svc(c, 'a', 1, { sidecar: SidecarTuning.of({ concurrency: 2 }) });
    a.talksTo(ext, { port: 443, connections: 7 });
    a.talksTo(ext, { port: 9000 });
    const [tls, grpc] = a.dependencies.map((d) => DependencyGraph.of(c).connectionsOf(d));
    expect(tls).toMatchObject({ protocol: UpstreamProtocol.TCP, worstCasePerProxy: 7 });
    expect(grpc).toMatchObject({ protocol: UpstreamProtocol.HTTP2, worstCasePerProxy: 4 });
  });

  test('fails when a caller with concurrency 0 calls HTTP with a capacity to check: its pools have no known bound', () => {
    const { chart: c } = chart();
    const api = svc(c, 'api', 2, { maxInboundConnections: 100 });
    const web = svc(c, 'web', 1, { sidecar: SidecarTuning.of({ concurrency: 0, allowAllCores: true }) });
    web.talksTo(api, { concurrentRequests: 5 });
    expectMeshError(() => synth(c), 'test/api', /maxInboundConnections cannot be checked: web runs sidecar concurrency 0 \(one Envoy worker per node core\)/);
  });

  test('fails when a demand is declared for the wrong protocol', () => {
    const { chart: c } = chart();
    const api = svc(c, 'api');
    const grpc = svc(c, 'grpc', 2, { protocol: MeshProtocol.GRPC });
    const redis = svc(c, 'redis', 1, { protocol: MeshProtocol.TCP });
    const a = svc(c, 'a');
    expectMeshError(() => a.talksTo(api, { connections: 5 }), 'test/a', /talksTo connections is for TCP callees, and api.shop.svc.cluster.local port 8080 is HTTP\/1.1.*declare concurrentRequests/);
    expectMeshError(() => a.talksTo(redis, { concurrentRequests: 5 }), 'test/a', /talksTo concurrentRequests is for HTTP callees.*is TCP.*declare connections/);
    expectMeshError(() => a.talksTo(api, { streamsPerConnection: 100 }), 'test/a', /talksTo streamsPerConnection is for HTTP\/2 and gRPC callees/);
    expectMeshError(() => a.talksTo(grpc, { concurrentRequests: 0 }), 'test/a', /talksTo concurrentRequests must be a whole number/);
    a.talksTo(grpc, { concurrentRequests: 10, streamsPerConnection: 100 });
  });

  test('fails when the cluster estimate is given no control-plane revision', () => {
    const { chart: c } = chart();
    const a = svc(c, 'a');
    expectMeshError(() => DependencyGraph.of(c).proxyBudgetOf(a, { controlPlaneRevisions: 0 }), 'DependencyGraph', /controlPlaneRevisions must be a whole number/);
  });
});

describe('DependencyGraph', () => {
  test('callersOf: the services that declared a dependency on a callee (for MtlsMigration)', () => {
    const { chart: c } = chart();
    const [a, b, x, y] = ['a', 'b', 'x', 'y'].map((id) => svc(c, id));
    a.talksTo(x);
    b.talksTo(x);
    x.talksTo(a); // cycle
    const g = DependencyGraph.of(y);
    expect(g.callersOf(x)).toEqual([a, b]);
    expect(g.callersOf(a)).toEqual([x]);
    expect(g.callersOf(y)).toEqual([]);
    expect(g.dependencies.map((d) => `${d.caller.name}->${(d.callee as MeshedService).name}`)).toEqual(['a->x', 'b->x', 'x->a']);
    expect(() => synth(c)).not.toThrow();
  });

  test('scoping cuts the clusters each proxy receives about 29× on a 500-service mesh with 3 dependencies each (an estimate)', () => {
    const { chart: c } = chart();
    const services = Array.from({ length: 500 }, (_, i) => svc(c, `s${i}`, 1));
    services.forEach((s, i) => [1, 2, 3].forEach((k) => s.talksTo(services[(i + k) % services.length])));
    const g = DependencyGraph.of(c);
    const b = g.proxyBudgetOf(services[0]);
    // 7 static + 4 istiod + 3 ingress gateway (both in istio-system/*, kept by every Sidecar) + 1 inbound,
    // then 1 per visible host (its port; with one version there are no per-version Services)
    expect(b.scoped).toBe(true);
    expect(b.unscopedClusters).toBe(15 + 500);
    expect(b.scopedClusters).toBe(15 + 3);
    expect(b.unscopedClusters / b.scopedClusters).toBeGreaterThanOrEqual(28);
    // memory: clusters × 42,000 B + hosts × 3,000 B (8 control-plane, gateway and inbound hosts, 1 pod per visible host)
    expect(b.scopedMemoryKiB).toBe(Math.round((18 * 42000 + (8 + 3) * 3000) / 1024));
    expect(b.unscopedMemoryKiB).toBe(Math.round((515 * 42000 + (8 + 500) * 3000) / 1024));
    expect(b.estimateMethod).toMatch(/^estimate, not a bound: .*stats_integration_test.cc/);
    // a second control-plane revision and no gateway
    expect(g.proxyBudgetOf(services[0], { controlPlaneRevisions: 2, gatewayPorts: 0 }).scopedClusters).toBe(7 + 8 + 1 + 3);
    expect(JSON.parse(g.toJson()).summary).toMatchObject({
      proxies: 500, scopedProxies: 500, meanScopedClusters: 18, meanUnscopedClusters: 515, ratio: 28.6,
    });
  });

  test('the mesh report: Markdown with a Mermaid graph, JSON, both written to a directory of their own', () => {
    const { c, orders } = seed({ capacity: 1000 });
    const web = svc(c, 'web');
    web.talksTo(orders);
    const g = DependencyGraph.of(c);
    const json = JSON.parse(g.toJson());
    expect(json.edges).toEqual([{ from: 'orders', to: 'orders-db.data.svc.cluster.local', port: 5432 }, { from: 'web', to: 'orders', port: 8080 }]);
    expect(json.callees.find((x: any) => x.callee === 'orders-db.data.svc.cluster.local')).toMatchObject({ floor: 800, worstCase: 800, capacity: 1000, overBudget: false });
    // web (2 workers) to orders (16 pods, HTTP/1.1): a warm floor of 32, the soft cap of 1024 + 32 at worst
    expect(json.proxies.find((x: any) => x.service === 'web')).toMatchObject({
      connectionsPerProxy: { floor: 32, worstCase: 1056 },
      upstreams: [{ protocol: 'http1', clusters: [{ cluster: 'outbound|8080||orders.shop.svc.cluster.local', endpoints: 16, maxConnections: 1024, softCapOvershoot: 32, hardLimit: 1056 }] }],
      estimate: { clusters: { scoped: 16, unscoped: 18 } },
    });
    expect(json.model.estimates).toMatch(/^estimate, not a bound/);
    const md = g.toMarkdown();
    expect(md).toContain('```mermaid');
    expect(g.toMermaid()).toContain('svc_shop_web -->|8080| svc_shop_orders');
    expect(md).toContain('| orders-db.data.svc.cluster.local | 800 | 800 | 1000 | ok | orders: 16 replicas × 50 (its own pool of 50, TCP 1:1) = 800 |');
    expect(md).toContain('| web | orders | http1 | `outbound\\|8080\\|\\|orders.shop.svc.cluster.local` | 16 | 1024 | 32 | 32 / 1056 |');
    expect(md).toContain('Clusters and memory are an estimate, not a bound');
    const dir = mkdtempSync(join(tmpdir(), 'mesh-report-'));
    try {
      const written = g.writeReport(dir);
      expect(written.map((p) => p.slice(dir.length + 1))).toEqual(['mesh-report.md', 'mesh-report.json']);
      expect(JSON.parse(readFileSync(written[1], 'utf8'))).toEqual(json);
      expect(readFileSync(written[0], 'utf8')).toBe(md);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(md).toMatchSnapshot();
  });

  test('diagram node ids stay distinct when names normalise to one id (a-b in shop, b in shop-a)', () => {
    const app = Testing.app();
    const ab = new MeshedService(new Chart(app, 'shop', { namespace: 'shop' }), 'a-b', { image: 'ghcr.io/acme/a:1', port: 8080 });
    const b = new MeshedService(new Chart(app, 'shop-a', { namespace: 'shop-a' }), 'b', { image: 'ghcr.io/acme/b:1', port: 8080 });
    ab.talksTo(b);
    const mermaid = DependencyGraph.of(app).toMermaid();
    expect(mermaid).toContain('  svc_shop_a_b["a-b (shop)"]');
    expect(mermaid).toContain('  svc_shop_a_b_2["b (shop-a)"]');
    expect(mermaid).toContain('svc_shop_a_b -->|8080| svc_shop_a_b_2');
  });

  test('fails when the report would go into the app\'s outdir, which holds manifests only', () => {
    const { app, chart: c } = chart();
    svc(c, 'web');
    const g = DependencyGraph.of(c);
    for (const dir of [app.outdir, join(app.outdir, 'reports')]) {
      expectMeshError(() => g.writeReport(dir), 'DependencyGraph.writeReport',
        /directory is inside the app's outdir ".*", which holds Kubernetes manifests only, got ".*": write reports beside it instead/);
    }
    expect(existsSync(join(app.outdir, 'mesh-report.md'))).toBe(false);
  });

  test('fails when an edge names a host the app does not declare', () => {
    const { chart: c } = chart();
    const a = svc(c, 'a');
    const other = new Chart(Testing.app(), 'other', { namespace: 'shop' });
    const stranger = new ExternalService(other, 'cache', { host: 'cache.example.com', ports: [{ number: 6379, protocol: ExternalProtocol.TCP }] });
    a.talksTo(stranger);
    expectMeshError(() => synth(c), 'test/a',
      /talksTo names other\/cache, which is not a MeshedService or ExternalService of this app.*new ExternalService\(scope, 'id', \{ host: "cache.example.com"/);
  });

  test('fails when talksTo is given something that is not a service', () => {
    const { chart: c } = chart();
    const a = svc(c, 'a');
    expectMeshError(() => a.talksTo({} as ICallee), 'test/a', /talksTo must be a MeshedService or an ExternalService/);
  });

  test('fails when a DefaultDeny closes the namespace of an out-of-app service a caller depends on', () => {
    const app = Testing.app();
    const c = new Chart(app, 'test', { namespace: 'shop' });
    const data = new Chart(app, 'data', { namespace: 'data' });
    new DefaultDeny(data, 'deny');
    const a = svc(c, 'a');
    a.talksTo(new ExternalService(c, 'pg', { host: 'postgres.data.svc.cluster.local', ports: [{ number: 5432, protocol: ExternalProtocol.TCP }] }));
    expectMeshError(() => Testing.synth(c), 'test/a', /talksTo is in namespace "data", which a DefaultDeny of this app closes/);
  });
});
