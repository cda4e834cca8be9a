import { App, Chart, Testing } from 'cdk8s';
import { CallerIdentity, DefaultDeny, DependencyGraph, ExternalProtocol, ExternalService, Mesh, MeshedService } from '../../src';
import { MeshRegistry } from '../../src/private/registry';

const service = (c: Chart, id: string) => new MeshedService(c, id, { image: `ghcr.io/acme/${id}:1`, port: 8080 });

describe('MeshRegistry: one app-wide view per App', () => {
  test('each App has its own registry, kept on its root, found from any construct', () => {
    const a = Testing.app();
    const b = Testing.app();
    const ca = new Chart(a, 'shop', { namespace: 'shop' });
    const cb = new Chart(b, 'shop', { namespace: 'shop' });
    const checkout = service(ca, 'checkout');
    service(cb, 'checkout');
    expect(MeshRegistry.of(checkout)).toBe(MeshRegistry.of(a));
    expect(MeshRegistry.of(a)).not.toBe(MeshRegistry.of(b));
    expect(Mesh.servicesOf(a)).toEqual([checkout]);
    expect(Mesh.servicesOf(b)).toHaveLength(1);
    // Two same-named services in different Apps are no host conflict.
    expect(() => Testing.synth(ca)).not.toThrow();
  });

  test('members register in creation order, and every change bumps the version', () => {
    const app = new App();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const registry = MeshRegistry.of(app);
    const v0 = registry.version;
    const checkout = service(shop, 'checkout');
    const v1 = registry.version;
    const payments = service(shop, 'payments');
    const stripe = new ExternalService(shop, 'stripe', { host: 'api.stripe.com', ports: [{ number: 443, protocol: ExternalProtocol.TLS }] });
    const v2 = registry.version;
    checkout.talksTo(payments);
    const v3 = registry.version;
    payments.allowCallsFrom(CallerIdentity.namespace('ops')); // with nothing it is refused
    const v4 = registry.version;
    new DefaultDeny(shop, 'deny');
    expect([v0 < v1, v1 < v2, v2 < v3, v3 < v4, v4 < registry.version]).toEqual([true, true, true, true, true]);
    expect(registry.workloads).toEqual([checkout, payments]);
    expect(registry.list('external-service')).toEqual([stripe]);
    expect(registry.isCallee(stripe)).toBe(true);
    expect(registry.isCallee(shop)).toBe(false);
    expect(registry.workloadOf(stripe)).toBeUndefined();
  });

  test('views built from it are recomputed after a change, and only then', () => {
    const app = new App();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const registry = MeshRegistry.of(app);
    let computed = 0;
    const count = () => registry.memo('test', () => ++computed);
    expect([count(), count()]).toEqual([1, 1]);
    const a = service(shop, 'a');
    expect(count()).toBe(2);
    const b = service(shop, 'b');
    expect(DependencyGraph.of(app).dependencies).toHaveLength(0);
    a.talksTo(b);
    // The graph's edge index sees the new edge: talksTo bumped the version.
    expect(DependencyGraph.of(app).callersOf(b)).toEqual([a]);
    expect(DependencyGraph.of(app).defaultDenyNamespaces).toEqual([]);
    new DefaultDeny(shop, 'deny');
    expect(DependencyGraph.of(app).defaultDenyNamespaces).toEqual(['shop']);
  });

  test('tryOf refuses what is not a construct (a plain-JavaScript caller\'s value)', () => {
    expect(MeshRegistry.tryOf(undefined)).toBeUndefined();
    expect(MeshRegistry.tryOf({ name: 'checkout' })).toBeUndefined();
    expect(MeshRegistry.tryOf('checkout')).toBeUndefined();
    expect(MeshRegistry.tryOf(Testing.app())).toBeDefined();
  });
});
