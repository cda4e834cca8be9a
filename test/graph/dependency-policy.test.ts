import { Chart, Testing } from 'cdk8s';
import { CallerIdentity, DependencyPolicy, ExternalProtocol, ExternalService, IstioApiVersion, MeshedService, MeshProtocol } from '../../src/index';
import { all, chart, expectMeshError, ForValidator, only, Obj, synth } from '../util';

/** The 4-service shop: frontend → checkout → payments (another namespace) → stripe; checkout ⇄ inventory. */
function shop() {
  const app = Testing.app();
  const web = new Chart(app, 'web', { namespace: 'shop' });
  const pay = new Chart(app, 'pay', { namespace: 'payments' });
  const frontend = new MeshedService(web, 'frontend', { image: 'ghcr.io/acme/frontend:1.0.0', port: 8080 });
  const checkout = new MeshedService(web, 'checkout', { image: 'ghcr.io/acme/checkout:1.0.0', port: 8080 });
  const inventory = new MeshedService(web, 'inventory', { image: 'ghcr.io/acme/inventory:1.0.0', port: 9000, protocol: MeshProtocol.GRPC });
  const payments = new MeshedService(pay, 'payments', { image: 'ghcr.io/acme/payments:1.0.0', port: 9090, protocol: MeshProtocol.GRPC });
  const stripe = new ExternalService(pay, 'stripe', { host: 'api.stripe.com', ports: [{ number: 443, protocol: ExternalProtocol.TLS }] });
  frontend.allowCallsFrom(CallerIdentity.ingressGateway());
  frontend.talksTo(checkout);
  checkout.talksTo(payments);
  checkout.talksTo(inventory);
  inventory.talksTo(checkout); // cycles are allowed
  payments.talksTo(stripe);
  payments.allowCallsFrom(CallerIdentity.of(checkout)); // another namespace: the callee consents
  return { app, web, pay, frontend, checkout, inventory, payments, stripe };
}

function objsOf(app: ReturnType<typeof Testing.app>): Obj[] {
  return app.charts.flatMap((c) => Testing.synth(c) as Obj[]);
}

describe('DependencyPolicy', () => {
  const validated = new ForValidator();
  test('the 4-service shop: Sidecars scoped to dependencies, AuthorizationPolicies accepting declared callers', () => {
    const { app } = shop();
    const objs = objsOf(app);

    const sidecar = (name: string) => only(objs, 'Sidecar', name);
    expect(sidecar('checkout').apiVersion).toBe('networking.istio.io/v1');
    expect(sidecar('checkout').metadata.namespace).toBe('shop');
    expect(sidecar('checkout').spec).toEqual({
      workloadSelector: { labels: { app: 'checkout' } },
      egress: [{ hosts: ['istio-system/*', 'payments/payments.payments.svc.cluster.local', 'shop/inventory.shop.svc.cluster.local'] }],
      // fails closed: an undeclared host gets the BlackHoleCluster, not the plaintext PassthroughCluster
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(all(objs, 'Sidecar').map((o) => o.spec.outboundTrafficPolicy)).toEqual(Array(4).fill({ mode: 'REGISTRY_ONLY' }));
    expect(sidecar('frontend').spec.egress[0].hosts).toEqual(['istio-system/*', 'shop/checkout.shop.svc.cluster.local']);
    expect(sidecar('inventory').spec.egress[0].hosts).toEqual(['istio-system/*', 'shop/checkout.shop.svc.cluster.local']);
    // the ServiceEntry's namespace qualifies the external host
    expect(sidecar('payments').spec.egress[0].hosts).toEqual(['istio-system/*', 'payments/api.stripe.com']);

    const ap = (name: string) => only(objs, 'AuthorizationPolicy', name);
    expect(ap('payments').apiVersion).toBe('security.istio.io/v1');
    expect(ap('payments').metadata.namespace).toBe('payments');
    expect(ap('payments').spec).toEqual({
      selector: { matchLabels: { app: 'payments' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/checkout'] } }] }],
    });
    // same-namespace declared callers are accepted; the cycle shows in both policies
    expect(ap('checkout').spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/frontend', 'cluster.local/ns/shop/sa/inventory'] } }] }]);
    expect(ap('inventory').spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/checkout'] } }] }]);
    expect(ap('frontend').spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] } }] }]);

    expect(all(objs, 'Sidecar').map((o) => o.metadata.name).sort()).toEqual(['checkout', 'frontend', 'inventory', 'payments']);
    expect(all(objs, 'AuthorizationPolicy').map((o) => o.metadata.name).sort()).toEqual(['checkout', 'frontend', 'inventory', 'payments']);
    const se = only(objs, 'ServiceEntry');
    expect(se.spec).toEqual({ hosts: ['api.stripe.com'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }] });

    validated.add(objs);
    expect(all(objs, 'Sidecar').concat(all(objs, 'AuthorizationPolicy'), all(objs, 'ServiceEntry'))).toMatchSnapshot();
  });

  test('allowUndeclaredEgress keeps Istio\'s ALLOW_ANY on that service\'s Sidecar only', () => {
    const { chart: c } = chart();
    const api = new MeshedService(c, 'api', { image: 'ghcr.io/acme/api:1', port: 8080 });
    const open = new MeshedService(c, 'open', { image: 'ghcr.io/acme/open:1', port: 8080, allowUndeclaredEgress: true });
    const closed = new MeshedService(c, 'closed', { image: 'ghcr.io/acme/closed:1', port: 8080 });
    open.talksTo(api);
    closed.talksTo(api);
    const objs = synth(c);
    expect(open.allowUndeclaredEgress).toBe(true);
    expect(only(objs, 'Sidecar', 'open').spec.outboundTrafficPolicy).toBeUndefined(); // the mesh's mode (ALLOW_ANY by default)
    expect(only(objs, 'Sidecar', 'closed').spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    validated.add(objs);
  });

  test('fails when allowCallsFrom is given no identity (it would allow nobody)', () => {
    const { chart: c } = chart();
    const a = new MeshedService(c, 'a', { image: 'ghcr.io/acme/a:1', port: 8080 });
    expectMeshError(() => a.allowCallsFrom(), 'test/a', /allowCallsFrom needs at least one identity: without one it would write an AuthorizationPolicy that allows nobody.*new DefaultDeny/);
    expect(DependencyPolicy.of(a)).toBeUndefined();
  });

  test('fails when a caller without a sidecar is allowed: it has no principal to present', () => {
    const { chart: c } = chart();
    const job = new MeshedService(c, 'job', { image: 'ghcr.io/acme/job:1', port: 8080, injectSidecar: false });
    const api = new MeshedService(c, 'api', { image: 'ghcr.io/acme/api:1', port: 8080 });
    expectMeshError(() => api.allowCallsFrom(CallerIdentity.of(job)), 'test/job', /injectSidecar must be true to name the service as a caller.*set injectSidecar: true on test\/job/);
  });

  test('a service without dependencies or callers gets neither object', () => {
    const { chart: c } = chart();
    new MeshedService(c, 'lonely', { image: 'ghcr.io/acme/lonely:1.0.0', port: 8080 });
    const objs = synth(c);
    expect(all(objs, 'Sidecar')).toEqual([]);
    expect(all(objs, 'AuthorizationPolicy')).toEqual([]);
  });

  test('calls added after the callee exists reach the YAML (rendered lazily); exposed for addJsonPatch', () => {
    const { chart: c } = chart();
    const a = new MeshedService(c, 'a', { image: 'ghcr.io/acme/a:1', port: 8080 });
    const b = new MeshedService(c, 'b', { image: 'ghcr.io/acme/b:1', port: 8080 });
    const d = new MeshedService(c, 'd', { image: 'ghcr.io/acme/d:1', port: 8080 });
    a.talksTo(b);
    d.talksTo(b);
    b.allowCallsFrom(CallerIdentity.namespace('ops'));
    const policy = DependencyPolicy.of(b)!;
    expect(policy.authorizationPolicy).toBeDefined();
    expect(policy.sidecar).toBeUndefined();
    expect(policy.allowedCallers.map(String)).toEqual(['namespace:ops']);
    const objs = synth(c);
    expect(only(objs, 'AuthorizationPolicy', 'b').spec.rules).toEqual([{
      from: [
        { source: { principals: ['cluster.local/ns/shop/sa/a', 'cluster.local/ns/shop/sa/d'] } },
        { source: { namespaces: ['ops'] } },
      ],
    }]);
    expect(a.dependencies.map((x) => [x.callee, x.port])).toEqual([[b, 8080]]);
  });

  test('honors the service\'s istioApiVersion', () => {
    const { chart: c } = chart();
    const a = new MeshedService(c, 'a', { image: 'ghcr.io/acme/a:1', port: 8080, istioApiVersion: IstioApiVersion.V1BETA1 });
    const b = new MeshedService(c, 'b', { image: 'ghcr.io/acme/b:1', port: 8080, istioApiVersion: IstioApiVersion.V1BETA1 });
    a.talksTo(b);
    const objs = synth(c);
    expect(only(objs, 'Sidecar').apiVersion).toBe('networking.istio.io/v1beta1');
    expect(only(objs, 'AuthorizationPolicy').apiVersion).toBe('security.istio.io/v1beta1');
    validated.add(objs);
  });

  test('fails when a service in another namespace is called without its consent', () => {
    const app = Testing.app();
    const web = new Chart(app, 'web', { namespace: 'shop' });
    const pay = new Chart(app, 'pay', { namespace: 'payments' });
    const checkout = new MeshedService(web, 'checkout', { image: 'ghcr.io/acme/checkout:1', port: 8080 });
    const payments = new MeshedService(pay, 'payments', { image: 'ghcr.io/acme/payments:1', port: 9090 });
    checkout.talksTo(payments);
    expectMeshError(() => Testing.synth(web), 'web/checkout',
      /talksTo is in namespace "payments", and its AuthorizationPolicy would deny checkout from namespace "shop".*payments\.allowCallsFrom\(CallerIdentity\.of\(checkout\)\)/);
    // consent by namespace works too
    payments.allowCallsFrom(CallerIdentity.namespace('shop'));
    expect(() => Testing.synth(web)).not.toThrow();
  });

  test('fails when a caller without a sidecar calls a service with a policy', () => {
    const { chart: c } = chart();
    const job = new MeshedService(c, 'job', { image: 'ghcr.io/acme/job:1', port: 8080, injectSidecar: false });
    const api = new MeshedService(c, 'api', { image: 'ghcr.io/acme/api:1', port: 8080 });
    job.talksTo(api);
    expectMeshError(() => synth(c), 'test/job', /talksTo would be denied by the AuthorizationPolicy of test\/api: job has no sidecar.*set injectSidecar: true/);
  });

  test('fails when the callee has several ports and none is named, or the port is not the callee\'s', () => {
    const { chart: c } = chart();
    const a = new MeshedService(c, 'a', { image: 'ghcr.io/acme/a:1', port: 8080 });
    const db = new ExternalService(c, 'db', {
      host: 'db.example.com',
      ports: [{ number: 5432, protocol: ExternalProtocol.TCP }, { number: 5433, protocol: ExternalProtocol.TCP }],
    });
    expectMeshError(() => a.talksTo(db), 'test/a', /talksTo port must be given: db.example.com has several ports \(5432, 5433\)/);
    expectMeshError(() => a.talksTo(db, { port: 80 }), 'test/a', /talksTo port is not a port of db.example.com/);
    a.talksTo(db, { port: 5433 });
    expectMeshError(() => a.talksTo(db, { port: 5433 }), 'test/a', /talksTo is already declared on port 5433/);
  });

  test('fails when a namespace is unknown', () => {
    const c = new Chart(Testing.app(), 'test');
    const a = new MeshedService(c, 'a', { image: 'ghcr.io/acme/a:1', port: 8080 });
    const b = new MeshedService(c, 'b', { image: 'ghcr.io/acme/b:1', port: 8080 });
    expectMeshError(() => a.talksTo(b), 'test/b', /namespace must be known for talksTo/);
  });

  test('fails when allowCallsFrom is used without a sidecar, or twice with the same identity', () => {
    const { chart: c } = chart();
    const a = new MeshedService(c, 'a', { image: 'ghcr.io/acme/a:1', port: 8080, injectSidecar: false });
    expectMeshError(() => a.allowCallsFrom(CallerIdentity.namespace('ops')), 'test/a', /allowCallsFrom needs a sidecar/);
    const b = new MeshedService(c, 'b', { image: 'ghcr.io/acme/b:1', port: 8080 });
    b.allowCallsFrom(CallerIdentity.namespace('ops'));
    expectMeshError(() => b.allowCallsFrom(CallerIdentity.namespace('ops')), 'test/b', /allowCallsFrom is already allowed/);
  });
  validated.test();
});
