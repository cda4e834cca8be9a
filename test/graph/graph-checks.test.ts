import { Chart, Testing } from 'cdk8s';
import {
  CallerIdentity, DefaultDeny, DependencyGraph, DependencyPolicy, ExternalProtocol, ExternalService, Mesh, MeshedService, MeshedServiceProps,
  TrafficPolicy,
} from '../../src/index';
import { chart, expectMeshError, only, synth } from '../util';

// Boundary tests for the checks of caller-identity, default-deny, dependency-policy,
// external-service and mesh-report (issue 18): each fails when the guarded line is broken.

function svc(scope: Chart, id: string, props: Partial<MeshedServiceProps> = {}): MeshedService {
  return new MeshedService(scope, id, { image: `ghcr.io/acme/${id}:1.0.0`, port: 8080, replicas: 1, ...props });
}
function ext(scope: Chart, id: string, ports: number[], props: { namespace?: boolean; maxConnections?: number; capacity?: number } = {}) {
  return new ExternalService(scope, id, {
    host: props.namespace === false ? `${id}.example.com` : `${id}.data.svc.cluster.local`,
    ports: ports.map((number) => ({ number, protocol: ExternalProtocol.TCP })),
    trafficPolicy: props.maxConnections ? TrafficPolicy.of({ maxConnections: props.maxConnections }) : undefined,
    maxInboundConnections: props.capacity,
  });
}

describe('CallerIdentity boundaries', () => {
  test.each(['td/ns/a/sa/b', 'corp.example/ns/a-b/sa/b.c-d', 'cluster.local/ns/0/sa/0'])('principal %p is accepted', (p) => {
    expect(CallerIdentity.fromPrincipal(p).principal).toBe(p);
  });
  test.each(['td/ns/A/sa/b', 'td/ns/a/sa/B', 'my td/ns/a/sa/b', '*/ns/a/sa/b', 'td/ns/a/sa/', 'td/ns//sa/b', 'a/b/ns/a/sa/b', 'td/ns/a/sa/b/', ''])('principal %p is refused', (p) => {
    expectMeshError(() => CallerIdentity.fromPrincipal(p), 'CallerIdentity.fromPrincipal', /principal must have the form <trust domain>\/ns\/<namespace>\/sa\/<serviceAccount>/);
  });
  test('a principal that is not a string is refused', () => {
    expectMeshError(() => CallerIdentity.fromPrincipal(5 as any), 'CallerIdentity.fromPrincipal', /principal must have the form.*got 5/);
  });
  test('serviceAccount: a DNS label namespace and a DNS subdomain name', () => {
    expect(CallerIdentity.serviceAccount('ops', 'robot.v1').principal).toBe('cluster.local/ns/ops/sa/robot.v1');
    expectMeshError(() => CallerIdentity.serviceAccount('ops.team', 'robot'), 'CallerIdentity.serviceAccount', /namespace must be a DNS-1123 label, got "ops.team"/);
    expectMeshError(() => CallerIdentity.ingressGateway('Edge'), 'CallerIdentity.serviceAccount', /namespace must be a DNS-1123 label, got "Edge"/);
  });
  test('of: a service without a sidecar cannot be named as a caller; something not in an app is not a service', () => {
    const { chart: c } = chart();
    const job = svc(c, 'job', { injectSidecar: false });
    expectMeshError(() => CallerIdentity.of(job), 'test/job', /injectSidecar must be true to name the service as a caller/);
    expectMeshError(() => CallerIdentity.of({ name: 'x', node: {} } as any), 'CallerIdentity.of', /service must be a MeshedService/);
    expect(CallerIdentity.of(svc(c, 'web')).principal).toBe('cluster.local/ns/shop/sa/web');
  });
});

describe('DefaultDeny boundaries', () => {
  test('isDefaultDeny', () => {
    const d = new DefaultDeny(chart().chart, 'deny');
    expect(DefaultDeny.isDefaultDeny(d)).toBe(true);
    expect(DefaultDeny.isDefaultDeny({})).toBe(false);
    expect(DefaultDeny.isDefaultDeny(null)).toBe(false);
    expect(DefaultDeny.isDefaultDeny('deny')).toBe(false);
  });
  test('the namespace prop wins over the chart\'s', () => {
    const { chart: c } = chart('shop');
    const d = new DefaultDeny(c, 'deny', { namespace: 'ops' });
    expect(d.namespace).toBe('ops');
    expect(only(synth(c), 'AuthorizationPolicy', 'default-deny').metadata.namespace).toBe('ops');
  });
  test('a declared root namespace is refused; another namespace is not', () => {
    const { app, chart: c } = chart('shop');
    Mesh.declareRootNamespace(app, 'mesh-root');
    new DefaultDeny(c, 'a', { namespace: 'istio-system' });
    expect(() => synth(c)).not.toThrow();
    new DefaultDeny(c, 'b', { namespace: 'mesh-root' });
    expectMeshError(() => synth(c), 'test/b', /namespace is the mesh root namespace/);
  });
  test('unreachable under default-deny: a service nobody calls, not one with a caller or allowCallsFrom or without a sidecar', () => {
    const { chart: c } = chart('shop');
    new DefaultDeny(c, 'deny');
    svc(c, 'lonely');
    svc(c, 'nosidecar', { injectSidecar: false });
    const web = svc(c, 'web');
    const api = svc(c, 'api');
    web.allowCallsFrom(CallerIdentity.ingressGateway());
    web.talksTo(api);
    const g = DependencyGraph.of(c);
    expect(JSON.parse(g.toJson()).unreachableUnderDefaultDeny).toEqual(['lonely']);
    expect(g.toMarkdown()).toContain('No caller is allowed to reach: lonely (declare callers with talksTo or allowCallsFrom).');
    expect(g.toMarkdown()).toContain('Closed namespaces: shop.');
  });
  test('default-deny with every service reachable: the namespaces, and no unreachable line', () => {
    const { chart: c } = chart('shop');
    new DefaultDeny(c, 'deny');
    svc(c, 'web').allowCallsFrom(CallerIdentity.ingressGateway());
    const md = DependencyGraph.of(c).toMarkdown();
    expect(md).toContain('Closed namespaces: shop.');
    expect(md).not.toContain('No caller is allowed to reach');
  });
  test('no default-deny: no such section', () => {
    const { chart: c } = chart('shop');
    svc(c, 'lonely');
    expect(DependencyGraph.of(c).toMarkdown()).not.toContain('## Default-deny');
  });
});

describe('DependencyPolicy boundaries', () => {
  test('talksTo something that is not a callee is refused (plain JavaScript)', () => {
    const { chart: c } = chart();
    const web = svc(c, 'web');
    for (const bad of [undefined, 'api', {}, { host: 'api' }, { host: 5, node: {} }]) {
      expectMeshError(() => web.talksTo(bad as any), 'test/web', /talksTo must be a MeshedService or an ExternalService/);
    }
  });
  test('port: required with several ports, inferred with one, refused when not a port', () => {
    const { chart: c } = chart();
    const web = svc(c, 'web');
    const db = ext(c, 'db', [5432, 5433]);
    expectMeshError(() => web.talksTo(db), 'test/web', /talksTo port must be given: db.data.svc.cluster.local has several ports \(5432, 5433\), got nothing: pass \{ port: 5432 \}/);
    expectMeshError(() => web.talksTo(db, { port: 5434 }), 'test/web', /talksTo port is not a port of db.data.svc.cluster.local \(ports: 5432, 5433\), got 5434: pass one of 5432, 5433/);
    web.talksTo(db, { port: 5433 });
    web.talksTo(db, { port: 5432 }); // another port of the same host is another dependency
    expectMeshError(() => web.talksTo(db, { port: 5432 }), 'test/web', /talksTo is already declared on port 5432/);
    const one = ext(c, 'one', [6379]);
    web.talksTo(one);
    expect(web.dependencies.map((d) => d.port)).toEqual([5433, 5432, 6379]);
  });
  test('a callee without ports (plain JavaScript): "no declared port", and any port is refused', () => {
    const { chart: c } = chart();
    const web = svc(c, 'web');
    const fake = { host: 'x.example.com', node: c.node, callablePorts: [] } as any;
    expectMeshError(() => web.talksTo(fake), 'test/web', /talksTo port must be given: x.example.com has no declared port, got nothing: pass \{ port: 443 \}/);
    expectMeshError(() => web.talksTo(fake, { port: 80 }), 'test/web', /talksTo port is not a port of x.example.com \(ports: none\), got 80/);
    expectMeshError(() => web.talksTo({ ...fake, callablePorts: 'x' }), 'test/web', /has no declared port/);
  });
  test('talksTo between services needs both namespaces; the error names the end without one', () => {
    const app = Testing.app();
    const bare = new Chart(app, 'bare');
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const a = svc(bare, 'a');
    const b = svc(shop, 'b');
    expectMeshError(() => a.talksTo(b), 'bare/a', /namespace must be known for talksTo/);
    expectMeshError(() => b.talksTo(a), 'bare/a', /namespace must be known for talksTo/);
    // an external host does not need the caller's namespace (no AuthorizationPolicy names it)
    a.talksTo(ext(bare, 'db', [5432]));
    expect(a.dependencies).toHaveLength(1);
  });
  test('a caller without a namespace may not call an external host with a traffic policy (its DestinationRule needs one)', () => {
    const app = Testing.app();
    const bare = new Chart(app, 'bare');
    const a = svc(bare, 'a');
    expectMeshError(() => a.talksTo(ext(bare, 'db', [5432], { maxConnections: 10 })), 'bare/a', /namespace must be known to call db.data.svc.cluster.local: its traffic policy is written as a DestinationRule in the caller's namespace/);
  });
  test('allowCallsFrom: identities only, each once, on a service with a sidecar', () => {
    const { chart: c } = chart();
    const api = svc(c, 'api');
    expectMeshError(() => api.allowCallsFrom('ops' as any), 'test/api', /allowCallsFrom takes CallerIdentity values, got "ops"/);
    api.allowCallsFrom(CallerIdentity.namespace('ops'));
    expectMeshError(() => api.allowCallsFrom(CallerIdentity.namespace('ops')), 'test/api', /allowCallsFrom is already allowed, got "namespace:ops"/);
    api.allowCallsFrom(CallerIdentity.namespace('ops2'));
    const job = svc(c, 'job', { injectSidecar: false });
    expectMeshError(() => job.allowCallsFrom(CallerIdentity.namespace('ops')), 'test/job', /allowCallsFrom needs a sidecar on the service/);
  });
  test('the AuthorizationPolicy: same-namespace callers by principal, allowed namespaces by namespace, both sorted', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const ops = new Chart(app, 'ops', { namespace: 'ops' });
    const api = svc(shop, 'api');
    const zed = svc(shop, 'zed');
    const web = svc(shop, 'web');
    const robot = svc(ops, 'robot');
    zed.talksTo(api);
    web.talksTo(api);
    robot.talksTo(api);
    api.allowCallsFrom(CallerIdentity.namespace('ops'), CallerIdentity.namespace('batch'));
    const ap = only(Testing.synth(shop) as any, 'AuthorizationPolicy', 'api');
    expect(ap.spec.rules).toEqual([{
      from: [
        { source: { principals: ['cluster.local/ns/shop/sa/web', 'cluster.local/ns/shop/sa/zed'] } },
        { source: { namespaces: ['batch', 'ops'] } },
      ],
    }]);
  });
  test('an AuthorizationPolicy whose only caller is not allowed allows nothing (no rules), and synth says why', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const ops = new Chart(app, 'ops', { namespace: 'ops' });
    const api = svc(shop, 'api');
    svc(ops, 'robot').talksTo(api);
    expect(DependencyPolicy.of(api)!._renderAuthorizationPolicy().rules).toBeUndefined();
    expect(() => app.synth()).toThrow(/talksTo is in namespace "shop", and its AuthorizationPolicy would deny robot from namespace "ops"/);
  });
  test('the Sidecar of a caller lists every version host of a canaried callee', () => {
    const { chart: c } = chart();
    const api = svc(c, 'api');
    api.addVersion('v2', { replicas: 1 });
    const web = svc(c, 'web');
    web.talksTo(api);
    expect(only(synth(c), 'Sidecar', 'web').spec.egress[0].hosts).toEqual([
      'istio-system/*', 'shop/api-v1.shop.svc.cluster.local', 'shop/api-v2.shop.svc.cluster.local', 'shop/api.shop.svc.cluster.local',
    ]);
  });
});

describe('mesh report branches', () => {
  test('a service without a namespace and a host outside the cluster: null namespaces, no namespace label', () => {
    const app = Testing.app();
    const bare = new Chart(app, 'bare');
    const a = svc(bare, 'a');
    a.talksTo(ext(bare, 'api', [443], { namespace: false }));
    const g = DependencyGraph.of(bare);
    const json = JSON.parse(g.toJson());
    expect(json.services[0].namespace).toBeNull();
    expect(json.externalServices[0].namespace).toBeNull();
    expect(g.toMermaid()).toContain('["a"]');
    expect(g.toMermaid()).not.toContain('(undefined)');
  });
  test('unbounded budgets are null in JSON and "unbounded" in Markdown; statuses by capacity', () => {
    const { chart: c } = chart();
    const web = svc(c, 'web');
    const unbounded = ext(c, 'free', [5432], { capacity: undefined });
    const open = ext(c, 'open', [5432]);
    web.talksTo(unbounded);
    web.talksTo(open, { connections: 3 });
    const g = DependencyGraph.of(c);
    const json = JSON.parse(g.toJson());
    const proxy = json.proxies.find((p: any) => p.service === 'web');
    expect(proxy.connectionsPerProxy.worstCase).toBeNull();
    expect(proxy.upstreams[0].worstCasePerProxy).toBeNull();
    expect(proxy.upstreams[0].clusters[0].softCapOvershoot).toBe(2 * 1); // 1 endpoint × 2 workers (the default concurrency)
    expect(json.callees.find((x: any) => x.callee === 'free.data.svc.cluster.local').worstCase).toBeNull();
    const md = g.toMarkdown();
    expect(md).toMatch(/\| web \| 1 \| 2 \| 4 \/ unbounded \|/);
    expect(md).toMatch(/\| free\.data\.svc\.cluster\.local \| 1 \| unbounded \| - \| no capacity declared \|/);
    expect(md).toMatch(/\| open\.data\.svc\.cluster\.local \| 3 \| 3 \| - \| no capacity declared \|/);
  });
  test('statuses: ok at capacity, over budget above it, unbounded without a bound', () => {
    const build = (capacity: number, pool?: number) => {
      const { chart: c } = chart();
      const web = svc(c, 'web', { replicas: 2 });
      web.talksTo(ext(c, 'db', [5432], { capacity }), { connections: pool });
      return DependencyGraph.of(c).toMarkdown();
    };
    expect(build(6, 3)).toMatch(/\| db\.data\.svc\.cluster\.local \| 6 \| 6 \| 6 \| ok \|/);
    expect(build(5, 3)).toMatch(/\| 6 \| 5 \| \*\*over budget\*\* \|/);
    expect(build(5)).toMatch(/\| unbounded \| 5 \| \*\*unbounded\*\* \|/);
  });
  test('a service with a sidecar and no dependencies is "(not scoped)"; a cluster without a cap shows "-"', () => {
    const { chart: c } = chart();
    svc(c, 'lonely');
    const web = svc(c, 'web');
    web.talksTo(ext(c, 'db', [5432]), { connections: 1 });
    const md = DependencyGraph.of(c).toMarkdown();
    expect(md).toMatch(/\| lonely \| 1 \| 2 \| 0 \/ 0 \| \d+ \(not scoped\) \/ \d+ \|/);
    expect(md).toMatch(/\| web \| db\.data\.svc\.cluster\.local \| tcp \| `outbound\\\|5432\\\|\\\|db\.data\.svc\.cluster\.local` \| 1 \| - \| - \| 1 \/ 1 \|/);
  });
});
