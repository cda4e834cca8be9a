import { check, lines, virtualService } from './objects';
import { vsWildcardHost } from '../../src/rules/vs-001-wildcard-host';

describe('MESH-VS-001 vs-wildcard-host', () => {
  test('passes a mesh VirtualService for one service, however its host is spelled', () => {
    expect(check(vsWildcardHost, virtualService('checkout', { hosts: ['checkout', 'checkout.shop.svc.cluster.local'] }))).toEqual([]);
  });

  test('passes a wildcard on a gateway-only VirtualService', () => {
    expect(check(vsWildcardHost, virtualService('edge', { hosts: ['*.acme.com'], gateways: ['istio-system/ingress'] }))).toEqual([]);
  });

  test('fails on a bare * and a wildcard on a mesh-bound VirtualService', () => {
    const hits = check(vsWildcardHost,
      virtualService('all', { hosts: ['*'] }),
      virtualService('shop', { hosts: ['*.shop.svc.cluster.local'], gateways: ['mesh', 'ingress'] }));
    expect(lines(hits)).toEqual([
      'VirtualService/shop/all /spec/hosts/0: host "*" is a wildcard on a mesh-bound VirtualService',
      'VirtualService/shop/shop /spec/hosts/0: host "*.shop.svc.cluster.local" is a wildcard on a mesh-bound VirtualService',
    ]);
  });

  test('fails on hosts spanning several services', () => {
    const hits = check(vsWildcardHost, virtualService('both', { hosts: ['checkout', 'payments.shop'] }));
    expect(lines(hits)).toEqual(['VirtualService/shop/both /spec/hosts: hosts span 2 services (checkout.shop.svc.cluster.local, payments.shop.svc.cluster.local)']);
  });
});
