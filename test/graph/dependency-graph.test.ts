import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  DefaultDeny, DependencyGraph, ExternalProtocol, ExternalService, ICallee, MeshedService, SidecarTuning, TrafficPolicy,
} from '../../src/index';
import { chart, expectMeshError, synth } from '../util';

/** The seed's story: a sidecar with 16 workers, 50 upstream endpoints, 800 connections a database could not take. */
function seed(opts: { capacity?: number; maxConnections?: number; concurrency?: number; allCores?: boolean } = {}) {
  const { chart: c } = chart();
  const orders = new MeshedService(c, 'orders', {
    image: 'ghcr.io/acme/orders:1.0.0',
    port: 8080,
    replicas: 1,
    sidecar: SidecarTuning.of({
      concurrency: opts.allCores ? 0 : opts.concurrency ?? 16, allowAllCores: opts.allCores, cpu: { request: Cpu.millis(500), limit: Cpu.units(16) },
    }),
  });
  // e.g. a pooler fleet of 50 pods in front of one Postgres that takes 500 connections
  const db = new ExternalService(c, 'orders-db', {
    host: 'orders-db.data.svc.cluster.local',
    ports: [{ number: 5432, protocol: ExternalProtocol.TCP }],
    endpoints: 50,
    maxInboundConnections: opts.capacity ?? 500,
    trafficPolicy: opts.maxConnections ? TrafficPolicy.of({ maxConnections: opts.maxConnections }) : undefined,
  });
  orders.talksTo(db);
  return { c, orders, db };
}

function svc(scope: Construct, id: string, replicas = 2): MeshedService {
  return new MeshedService(scope, id, { image: `ghcr.io/acme/${id}:1.0.0`, port: 8080, replicas });
}

describe('DependencyGraph', () => {
  test('the seed\'s 800 connections: 16 workers × 50 upstream endpoints from one proxy', () => {
    const { c, orders, db } = seed({ capacity: 1000 });
    const g = DependencyGraph.of(c);
    const [dep] = orders.dependencies;
    const conn = g.connectionsOf(dep);
    expect(conn).toMatchObject({ workers: 16, connectionsPerWorker: 50, perProxy: 800, callerReplicas: 1, total: 800 });
    expect(conn.maxConnectionsPerProxy).toBeUndefined();
    expect(g.proxyBudgetOf(orders).connectionsPerProxy).toBe(800);
    expect(g.inboundBudgetOf(db)).toMatchObject({ connections: 800, capacity: 1000 });
    expect(() => synth(c)).not.toThrow();
  });

  test('fails when a caller with concurrency 0 (a worker per node core) has no per-proxy cap: its connections have no bound', () => {
    const { c } = seed({ allCores: true });
    expectMeshError(() => synth(c), 'test/orders-db',
      /maxInboundConnections cannot be checked: test\/orders run sidecar concurrency 0 \(one Envoy worker per node core\).*got 500: set sidecar concurrency on test\/orders, or cap each calling proxy/);
  });

  test('with concurrency 0 a per-proxy cap is the worst case of each proxy, whatever the node\'s cores', () => {
    const ok = seed({ allCores: true, maxConnections: 400 });
    const conn = DependencyGraph.of(ok.c).connectionsOf(ok.orders.dependencies[0]);
    expect(conn).toMatchObject({ allCores: true, perProxy: 400, total: 400 });
    expect(() => synth(ok.c)).not.toThrow();
    const over = seed({ allCores: true, maxConnections: 600 });
    expectMeshError(() => synth(over.c), 'test/orders-db',
      /below the 600 connections .*\(orders: 1 replica × min\(one worker per node core, maxConnections 600\) = 600\)/);
  });

  test('fails when the seed\'s 800 connections meet a database that takes 500', () => {
    const { c } = seed();
    expectMeshError(() => synth(c), 'test/orders-db',
      /maxInboundConnections is below the 800 connections its callers' proxies may open together \(orders: 1 replica × 16 workers × 50 per worker = 800\), got 500: lower sidecar concurrency or replicas of orders, cap each calling proxy with trafficPolicy: TrafficPolicy.of\(\{ maxConnections: 500 \}\) on test\/orders-db, or raise maxInboundConnections to 800/);
  });

  test('each fix brings the seed within budget: fewer workers, a pool cap, more capacity', () => {
    expect(() => synth(seed({ concurrency: 8 }).c)).not.toThrow(); // 8 × 50 = 400
    const capped = seed({ maxConnections: 400 });
    expect(DependencyGraph.of(capped.c).connectionsOf(capped.orders.dependencies[0]).perProxy).toBe(400);
    expect(() => synth(capped.c)).not.toThrow();
    expect(() => synth(seed({ capacity: 800 }).c)).not.toThrow();
  });

  test('callers\' replicas multiply; the callee\'s DestinationRule maxConnections caps each proxy', () => {
    const { chart: c } = chart();
    const db = svc(c, 'db', 3);
    const a = svc(c, 'a', 4); // 2 workers × 3 endpoints = 6 per proxy, × 4 = 24
    const b = new MeshedService(c, 'b', {
      image: 'ghcr.io/acme/b:1',
      port: 8080,
      replicas: 10,
      sidecar: SidecarTuning.of({ concurrency: 2 }),
    });
    a.talksTo(db);
    b.talksTo(db, { connectionsPerWorker: 100 }); // min(2 × 100, 1024) = 200 per proxy, × 10 = 2000
    const g = DependencyGraph.of(c);
    expect(g.inboundBudgetOf(db).callers.map((x) => [x.dependency.caller.name, x.perProxy, x.total])).toEqual([['a', 6, 24], ['b', 200, 2000]]);
    expect(g.inboundBudgetOf(db).connections).toBe(2024);
    const capped = new MeshedService(c, 'capped', {
      image: 'ghcr.io/acme/capped:1', port: 8080, trafficPolicy: TrafficPolicy.of({ maxConnections: 50 }), maxInboundConnections: 400,
    });
    b.talksTo(capped, { connectionsPerWorker: 100 });
    expect(DependencyGraph.of(c).inboundBudgetOf(capped)).toMatchObject({ connections: 500, capacity: 400 });
    expectMeshError(() => synth(c), 'test/capped', /maxInboundConnections is below the 500 connections.*b: 10 replicas × min\(2 workers × 100 per worker, maxConnections 50\) = 500.*TrafficPolicy.of\(\{ maxConnections: 40 \}\)/);
  });

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

  test('scoping cuts the clusters each proxy receives at least 50× on a 500-service mesh with 3 dependencies each', () => {
    const { chart: c } = chart();
    const services = Array.from({ length: 500 }, (_, i) => svc(c, `s${i}`, 1));
    services.forEach((s, i) => [1, 2, 3].forEach((k) => s.talksTo(services[(i + k) % services.length])));
    const g = DependencyGraph.of(c);
    const b = g.proxyBudgetOf(services[0]);
    // 7 static + 4 control plane + 1 inbound, then 2 per visible host (its port + the v1 subset)
    expect(b.scoped).toBe(true);
    expect(b.unscopedClusters).toBe(12 + 500 * 2);
    expect(b.scopedClusters).toBe(12 + 3 * 2);
    expect(b.unscopedClusters / b.scopedClusters).toBeGreaterThanOrEqual(50);
    expect(JSON.parse(g.toJson()).summary).toMatchObject({
      proxies: 500, scopedProxies: 500, meanScopedClusters: 18, meanUnscopedClusters: 1012, ratio: 56.2,
    });
  });

  test('the mesh report: Markdown with a Mermaid graph, JSON, both written to a directory of their own', () => {
    const { c, orders } = seed({ capacity: 1000 });
    const web = svc(c, 'web');
    web.talksTo(orders);
    const g = DependencyGraph.of(c);
    const json = JSON.parse(g.toJson());
    expect(json.edges).toEqual([{ from: 'orders', to: 'orders-db.data.svc.cluster.local', port: 5432 }, { from: 'web', to: 'orders', port: 8080 }]);
    expect(json.callees.find((x: any) => x.callee === 'orders-db.data.svc.cluster.local')).toMatchObject({ connections: 800, capacity: 1000, overBudget: false });
    expect(json.proxies.find((x: any) => x.service === 'web')).toMatchObject({ connectionsPerProxy: 2, clusters: { scoped: 14, unscoped: 17 } });
    const md = g.toMarkdown();
    expect(md).toContain('```mermaid');
    expect(g.toMermaid()).toContain('svc_shop_web -->|8080| svc_shop_orders');
    expect(md).toContain('| orders-db.data.svc.cluster.local | 800 | 1000 | ok | orders: 1 replica × 16 workers × 50 per worker = 800 |');
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
