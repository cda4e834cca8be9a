import { check, lines, virtualService } from './objects';
import { vsClusterWildcardHost } from '../../src/rules/vs-004-cluster-wildcard-host';

describe('MESH-VS-004 vs-cluster-wildcard-host (warning)', () => {
  test('level is warning', () => expect(vsClusterWildcardHost.level).toBe('warning'));

  test('passes one service per VirtualService, external wildcards and gateway VirtualServices', () => {
    expect(check(vsClusterWildcardHost,
      virtualService('checkout', { hosts: ['checkout', 'checkout.shop.svc.cluster.local'] }),
      virtualService('wiki', { hosts: ['*.wikipedia.org', 'api.stripe.com'] }),
      virtualService('edge', { hosts: ['*.shop.svc.cluster.local'], gateways: ['ingress'] }))).toEqual([]);
  });

  test('warns on a wildcard over cluster Services and on hosts naming several Services', () => {
    const hits = check(vsClusterWildcardHost,
      virtualService('shop', { hosts: ['*.shop.svc.cluster.local'], gateways: ['mesh', 'ingress'] }),
      virtualService('local', { hosts: ['*.local'] }),
      virtualService('both', { hosts: ['checkout', 'payments.shop.svc.cluster.local'] }));
    expect(lines(hits)).toEqual([
      'VirtualService/shop/shop /spec/hosts/0: host "*.shop.svc.cluster.local" is a wildcard over cluster Services on a mesh-bound VirtualService',
      'VirtualService/shop/local /spec/hosts/0: host "*.local" is a wildcard over cluster Services on a mesh-bound VirtualService',
      'VirtualService/shop/both /spec/hosts: hosts name 2 cluster Services (checkout.shop.svc.cluster.local, payments.shop.svc.cluster.local)',
    ]);
  });
});
