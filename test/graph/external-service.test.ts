import { Chart, Duration, Testing } from 'cdk8s';
import { ExternalProtocol, ExternalService, IstioApiVersion, MeshedService, TrafficPolicy } from '../../src/index';
import { all, chart, expectMeshError, ForValidator, Obj, only, synth } from '../util';

describe('ExternalService', () => {
  const validated = new ForValidator();
  test('a host outside the cluster gets a ServiceEntry; callers name it in their Sidecar', () => {
    const { chart: c } = chart();
    const stripe = new ExternalService(c, 'stripe', {
      host: 'api.stripe.com',
      ports: [{ number: 443, protocol: ExternalProtocol.TLS }, { number: 80, protocol: ExternalProtocol.HTTP, name: 'plain' }],
      trafficPolicy: TrafficPolicy.of({ maxConnections: 64, idleTimeout: Duration.minutes(5) }),
    });
    const pay = new MeshedService(c, 'payments', { image: 'ghcr.io/acme/payments:1', port: 8080 });
    pay.talksTo(stripe, { port: 443 });
    const objs = synth(c);
    const se = only(objs, 'ServiceEntry');
    expect(se.metadata).toEqual({ name: 'api.stripe.com', namespace: 'shop' }); // the host names it: two hosts, two names
    expect(se.spec).toEqual({
      hosts: ['api.stripe.com'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }, { number: 80, name: 'plain', protocol: 'HTTP' }],
    });
    // the traffic policy caps the declared caller only: a rule in its namespace, private to it, for its pods
    const dr = only(objs, 'DestinationRule', 'payments-to-api.stripe.com');
    expect(dr.metadata.namespace).toBe('shop');
    expect(dr.spec).toMatchObject({ host: 'api.stripe.com', exportTo: ['.'], workloadSelector: { matchLabels: { app: 'payments' } } });
    expect(dr.spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(64);
    expect(stripe.destinationRules).toHaveLength(1);
    expect(only(objs, 'Sidecar').spec.egress[0].hosts).toEqual(['istio-system/*', 'shop/api.stripe.com']);
    expect(stripe.maxConnectionsPerProxy).toBe(64);
    validated.add(objs);
    expect([se, dr]).toMatchSnapshot();
  });

  test('a cluster Service of another app: no ServiceEntry, namespace read from the host', () => {
    const { chart: c } = chart();
    const pg = new ExternalService(c, 'pg', {
      host: 'postgres.data.svc.cluster.local', ports: [{ number: 5432, protocol: ExternalProtocol.TCP }], endpoints: 3, maxInboundConnections: 200,
    });
    expect(pg.namespace).toBe('data');
    expect(pg.inCluster).toBe(true);
    expect(pg.serviceEntry).toBeUndefined();
    const api = new MeshedService(c, 'api', { image: 'ghcr.io/acme/api:1', port: 8080 });
    api.talksTo(pg, { connections: 10 });
    const objs = synth(c);
    expect(all(objs, 'ServiceEntry')).toEqual([]);
    expect(only(objs, 'Sidecar').spec.egress[0].hosts).toEqual(['istio-system/*', 'data/postgres.data.svc.cluster.local']);
  });

  test('a traffic policy on another team\'s cluster Service: one rule per declared caller in the caller\'s namespace, none in the host\'s', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const pay = new Chart(app, 'pay', { namespace: 'payments' });
    const db = new ExternalService(pay, 'ledger-db', {
      host: 'ledger-db.data.svc.cluster.local', ports: [{ number: 5432, protocol: ExternalProtocol.TCP }], trafficPolicy: TrafficPolicy.of({ maxConnections: 20 }),
    });
    const payments = new MeshedService(pay, 'payments', { image: 'ghcr.io/acme/payments:1', port: 8080 });
    const reports = new MeshedService(shop, 'reports', { image: 'ghcr.io/acme/reports:1', port: 8080 });
    const job = new MeshedService(shop, 'job', { image: 'ghcr.io/acme/job:1', port: 8080, injectSidecar: false });
    new MeshedService(shop, 'bystander', { image: 'ghcr.io/acme/bystander:1', port: 8080 });
    payments.talksTo(db, { connections: 5 });
    reports.talksTo(db, { connections: 5 });
    job.talksTo(db, { connections: 5 }); // no sidecar: no proxy applies a rule
    const objs = app.charts.flatMap((ch) => Testing.synth(ch) as Obj[]);
    const rules = all(objs, 'DestinationRule').filter((o) => o.spec.host === db.host);
    expect(rules.map((r) => [r.metadata.namespace, r.metadata.name, r.spec.exportTo, r.spec.workloadSelector.matchLabels])).toEqual([
      ['payments', 'payments-to-ledger-db', ['.'], { app: 'payments' }],
      ['shop', 'reports-to-ledger-db', ['.'], { app: 'reports' }],
    ]);
    expect(rules.some((r) => r.metadata.namespace === 'data')).toBe(false); // never in the owner's namespace
    validated.add(objs);
  });

  test('fails when two ExternalServices for one host both give the same caller a traffic policy', () => {
    const { chart: c } = chart();
    const ports = [{ number: 443, protocol: ExternalProtocol.TLS }];
    const a = new ExternalService(c, 'a', { host: 'api.example.com', ports, trafficPolicy: TrafficPolicy.of({ maxConnections: 10 }) });
    const b = new ExternalService(c, 'b', { host: 'api.example.com', ports, serviceEntry: false, namespace: 'shop', trafficPolicy: TrafficPolicy.of({ maxConnections: 20 }) });
    const api = new MeshedService(c, 'api', { image: 'ghcr.io/acme/api:1', port: 8080 });
    api.talksTo(a, { connections: 2 });
    api.talksTo(b, { connections: 2 });
    expectMeshError(() => synth(c), 'test/a', /trafficPolicy is also set by test\/b for test\/api: two DestinationRules for one host and one workload merge/);
  });

  test('serviceEntry: false names a ServiceEntry declared elsewhere (any namespace unless told)', () => {
    const { chart: c } = chart();
    const a = new ExternalService(c, 'a', { host: 'a.example.com', ports: [{ number: 443, protocol: ExternalProtocol.HTTPS }], serviceEntry: false });
    const b = new ExternalService(c, 'b', {
      host: 'b.example.com', ports: [{ number: 443, protocol: ExternalProtocol.HTTPS }], serviceEntry: false, namespace: 'egress', istioApiVersion: IstioApiVersion.V1BETA1,
    });
    const api = new MeshedService(c, 'api', { image: 'ghcr.io/acme/api:1', port: 8080 });
    api.talksTo(a);
    api.talksTo(b);
    const objs = synth(c);
    expect(all(objs, 'ServiceEntry')).toEqual([]);
    expect(only(objs, 'Sidecar').spec.egress[0].hosts).toEqual(['istio-system/*', '*/a.example.com', 'egress/b.example.com']);
    validated.add(objs);
  });

  test('fails when the host is not a fully qualified name', () => {
    for (const host of ['*.example.com', 'redis', '10.0.0.1:5432', 'API.example.com', '']) {
      const { chart: c } = chart();
      expectMeshError(() => new ExternalService(c, 'x', { host, ports: [{ number: 1, protocol: ExternalProtocol.TCP }] }), 'test/x', /host must be a fully qualified DNS name/);
    }
  });

  test('fails when ports are missing, repeated or out of range', () => {
    const { chart: c } = chart();
    expectMeshError(() => new ExternalService(c, 'a', { host: 'a.example.com', ports: [] }), 'test/a', /ports must list at least one port/);
    expectMeshError(() => new ExternalService(c, 'b', { host: 'b.example.com', ports: [{ number: 0, protocol: ExternalProtocol.TCP }] }), 'test/b', /ports\[0\]\.number must be a whole number from 1 to 65535/);
    expectMeshError(() => new ExternalService(c, 'd', {
      host: 'd.example.com', ports: [{ number: 5, protocol: ExternalProtocol.TCP }, { number: 5, protocol: ExternalProtocol.TLS }],
    }), 'test/d', /ports\[1\]\.number is listed twice/);
    expectMeshError(() => new ExternalService(c, 'e', { host: 'e.example.com', ports: [{ number: 5, protocol: 'SMTP' as ExternalProtocol }] }), 'test/e', /protocol must be one of/);
  });

  test('fails when capacity or endpoints are not positive whole numbers', () => {
    const { chart: c } = chart();
    const ports = [{ number: 5432, protocol: ExternalProtocol.TCP }];
    expectMeshError(() => new ExternalService(c, 'a', { host: 'a.example.com', ports, maxInboundConnections: 0 }), 'test/a', /maxInboundConnections must be a whole number/);
    expectMeshError(() => new ExternalService(c, 'b', { host: 'b.example.com', ports, endpoints: 1.5 }), 'test/b', /endpoints must be a whole number/);
  });

  test('fails when a cluster Service host is given a ServiceEntry or another namespace', () => {
    const { chart: c } = chart();
    const ports = [{ number: 5432, protocol: ExternalProtocol.TCP }];
    expectMeshError(() => new ExternalService(c, 'a', { host: 'pg.data.svc.cluster.local', ports, serviceEntry: true }), 'test/a', /serviceEntry is not needed for a cluster Service/);
    expectMeshError(() => new ExternalService(c, 'b', { host: 'pg.data.svc.cluster.local', ports, namespace: 'shop' }), 'test/b', /namespace contradicts the host's namespace "data"/);
  });
  validated.test();
});

describe('ExternalService hosts and names (issue 13)', () => {
  test('two hosts that differ only in dots and dashes get two ServiceEntries', () => {
    const { chart: c } = chart();
    new ExternalService(c, 'a', { host: 'api.b.com', ports: [{ number: 443, protocol: ExternalProtocol.TLS }] });
    new ExternalService(c, 'b', { host: 'api-b.com', ports: [{ number: 443, protocol: ExternalProtocol.TLS }] });
    expect(all(synth(c), 'ServiceEntry').map((o) => o.metadata.name)).toEqual(['api.b.com', 'api-b.com']);
  });

  test('fails when an ExternalService names a host a MeshedService of the app serves (its own or a version\'s)', () => {
    const { chart: c } = chart();
    const orders = new MeshedService(c, 'orders', { image: 'acme/orders:1', port: 8080 });
    orders.addVersion('v2');
    new ExternalService(c, 'ext', { host: 'orders.shop.svc.cluster.local', ports: [{ number: 8080, protocol: ExternalProtocol.HTTP }] });
    expectMeshError(() => synth(c), 'test/ext', /host is served by the MeshedService test\/orders of this app, not an external service.*got "orders\.shop\.svc\.cluster\.local": call it with talksTo\(orders\)/);
    const { chart: c2 } = chart();
    const pay = new MeshedService(c2, 'pay', { image: 'acme/pay:1', port: 8080 });
    pay.addVersion('v2');
    new ExternalService(c2, 'ext', { host: 'pay-v2.shop.svc.cluster.local', ports: [{ number: 8080, protocol: ExternalProtocol.HTTP }] });
    expectMeshError(() => synth(c2), 'test/ext', /host is served by the MeshedService test\/pay/);
  });

  test('fails when two constructs write one object: a version\'s Service named like another MeshedService', () => {
    const { chart: c } = chart();
    const web = new MeshedService(c, 'web', { image: 'acme/web:1', port: 8080 });
    web.addVersion('v2');
    new MeshedService(c, 'web-v2', { image: 'acme/web2:1', port: 8080 });
    expectMeshError(() => synth(c), 'test/web-v2', /name makes a second Service shop\/web-v2, already written by test\/web\/Service-v2\/Resource: kubectl apply would keep only the last one applied/);
  });

  test('fails when one host is declared in two charts of one namespace', () => {
    const app = Testing.app();
    const one = new Chart(app, 'one', { namespace: 'shop' });
    const two = new Chart(app, 'two', { namespace: 'shop' });
    new ExternalService(one, 'stripe', { host: 'api.stripe.com', ports: [{ number: 443, protocol: ExternalProtocol.TLS }] });
    new ExternalService(two, 'stripe', { host: 'api.stripe.com', ports: [{ number: 443, protocol: ExternalProtocol.TLS }] });
    expectMeshError(() => app.synth(), 'two/stripe', /makes a second ServiceEntry shop\/api\.stripe\.com, already written by one\/stripe\/ServiceEntry/);
  });
});
