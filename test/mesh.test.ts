import { Chart, Testing } from 'cdk8s';
import { Mesh, MeshedService } from '../src';

describe('Mesh', () => {
  test('finds the services of one App only, by namespace and by host', () => {
    const app1 = Testing.app();
    const app2 = Testing.app();
    const shop = new Chart(app1, 'shop', { namespace: 'shop' });
    const pay = new Chart(app1, 'pay', { namespace: 'payments' });
    const a = new MeshedService(shop, 'checkout', { image: 'a:1', port: 8080 });
    const b = new MeshedService(pay, 'payments', { image: 'b:1', port: 8080 });
    new MeshedService(new Chart(app2, 'other'), 'elsewhere', { image: 'c:1', port: 8080 });

    expect(Mesh.servicesOf(b)).toEqual([a, b]);
    expect(Mesh.servicesInNamespace(a, 'payments')).toEqual([b]);
    expect(Mesh.servicesForHost(a, 'checkout.shop.svc.cluster.local')).toEqual([a]);
    expect(Mesh.servicesForHost(a, 'elsewhere')).toEqual([]);
    // a service added after a lookup is seen by the next one
    const c = new MeshedService(shop, 'cart', { image: 'c:1', port: 8080 });
    expect(Mesh.servicesForHost(a, 'cart.shop.svc.cluster.local')).toEqual([c]);
  });
});
