import { Chart, Testing } from 'cdk8s';
import { Mesh, MeshedService } from '../src';

const image = 'ghcr.io/acme/app:1.0.0';

describe('Mesh', () => {
  test('lists the App\'s services in construct-tree order, across charts, by namespace', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'pay' });
    const payments = new MeshedService(b, 'payments', { image, port: 80 });
    const checkout = new MeshedService(a, 'checkout', { image, port: 80 });
    const cart = new MeshedService(a, 'cart', { image, port: 80 });

    // tree order (chart a first), not creation order
    expect(Mesh.servicesOf(payments)).toEqual([checkout, cart, payments]);
    expect(Mesh.servicesInNamespace(app, 'shop')).toEqual([checkout, cart]);
    expect(Mesh.servicesInNamespace(app, 'pay')).toEqual([payments]);
    expect(Mesh.servicesInNamespace(app, 'nowhere')).toEqual([]);
  });

  test('a service added after a query is seen by the next query', () => {
    const app = Testing.app();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    const first = new MeshedService(c, 'first', { image, port: 80 });
    expect(Mesh.servicesOf(c)).toEqual([first]);
    const second = new MeshedService(c, 'second', { image, port: 80 });
    expect(Mesh.servicesOf(c)).toEqual([first, second]);
    expect(Mesh.servicesInNamespace(c, 'shop')).toEqual([first, second]);
  });

  test('returns copies: changing a result does not change the view', () => {
    const app = Testing.app();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    const only = new MeshedService(c, 'only', { image, port: 80 });
    Mesh.servicesOf(c).pop();
    Mesh.servicesInNamespace(c, 'shop').pop();
    expect(Mesh.servicesOf(c)).toEqual([only]);
    expect(Mesh.servicesInNamespace(c, 'shop')).toEqual([only]);
  });

  test('a service removed from the tree is gone from the view in the next turn', async () => {
    const app = Testing.app();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    const keep = new MeshedService(c, 'keep', { image, port: 80 });
    new MeshedService(c, 'drop', { image, port: 80 });
    expect(Mesh.servicesOf(c)).toHaveLength(2);
    c.node.tryRemoveChild('drop');
    await Promise.resolve();
    expect(Mesh.servicesOf(c)).toEqual([keep]);
  });

  test('queries from every service\'s validation walk the tree once per synth, not once per query', () => {
    const app = Testing.app();
    const services: MeshedService[] = [];
    for (const ns of ['shop', 'pay']) {
      const c = new Chart(app, ns, { namespace: ns });
      for (let i = 0; i < 20; i++) services.push(new MeshedService(c, `svc-${i}`, { image, port: 80 }));
    }
    const seen: number[] = [];
    for (const s of services) {
      s.node.addValidation({ validate: () => { seen.push(Mesh.servicesInNamespace(s, s.namespace!).length); return []; } });
    }
    const constructs = app.node.findAll().length;
    const spy = jest.spyOn(MeshedService, 'isMeshedService');
    app.synth();
    // cdk8s validates the whole app once, then again for each chart it writes: 3 × 40 queries
    expect(seen.length).toBe(120);
    expect(seen.every((n) => n === 20)).toBe(true);
    // one walk of the tree is `constructs` checks; a walk per query would be 120 times that
    expect(spy.mock.calls.length).toBeLessThanOrEqual(constructs);
    spy.mockRestore();
  });
});
