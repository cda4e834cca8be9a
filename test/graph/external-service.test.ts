import { Duration } from 'cdk8s';
import { ExternalProtocol, ExternalService, IstioApiVersion, MeshedService, TrafficPolicy } from '../../src/index';
import { all, chart, expectMeshError, ForValidator, only, synth } from '../util';

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
    expect(se.metadata).toEqual({ name: 'api-stripe-com', namespace: 'shop' });
    expect(se.spec).toEqual({
      hosts: ['api.stripe.com'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }, { number: 80, name: 'plain', protocol: 'HTTP' }],
    });
    const dr = only(objs, 'DestinationRule', 'api-stripe-com');
    expect(dr.spec.host).toBe('api.stripe.com');
    expect(dr.spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(64);
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
    api.talksTo(pg);
    const objs = synth(c);
    expect(all(objs, 'ServiceEntry')).toEqual([]);
    expect(only(objs, 'Sidecar').spec.egress[0].hosts).toEqual(['istio-system/*', 'data/postgres.data.svc.cluster.local']);
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
