import { check, lines, virtualService } from './objects';
import { vsWildcardHost } from '../../src/rules/vs-001-wildcard-host';

describe('MESH-VS-001 vs-wildcard-host (error: what istiod rejects)', () => {
  test('level is error', () => expect(vsWildcardHost.level).toBe('error'));

  test('passes a mesh VirtualService for one service, however its host is spelled', () => {
    expect(check(vsWildcardHost, virtualService('checkout', { hosts: ['checkout', 'checkout.shop.svc.cluster.local'] }))).toEqual([]);
  });

  test('passes Istio\'s documented egress VirtualService (hosts: ["*.wikipedia.org"], mesh and gateway)', () => {
    // istio.io egress-gateway-tls-origination / wildcard egress hosts task.
    expect(check(vsWildcardHost,
      virtualService('direct-wikipedia-through-egress-gateway', {
        hosts: ['*.wikipedia.org'],
        gateways: ['mesh', 'istio-egressgateway'],
        tls: [{
          match: [{ gateways: ['mesh'], port: 443, sniHosts: ['*.wikipedia.org'] }],
          route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', port: { number: 443 } } }],
        }],
      }),
      virtualService('wiki', { hosts: ['*.wikipedia.org'] }))).toEqual([]);
  });

  test('passes a bare * on a gateway-only VirtualService', () => {
    expect(check(vsWildcardHost, virtualService('edge', { hosts: ['*'], gateways: ['istio-system/ingress'] }))).toEqual([]);
  });

  test('fails on a bare * bound to the mesh (explicitly or by default)', () => {
    const hits = check(vsWildcardHost,
      virtualService('all', { hosts: ['*'] }),
      virtualService('both', { hosts: ['*'], gateways: ['mesh', 'ingress'] }));
    expect(lines(hits)).toEqual([
      'VirtualService/shop/all /spec/hosts/0: host "*" on a VirtualService bound to the mesh, which istiod rejects',
      'VirtualService/shop/both /spec/hosts/0: host "*" on a VirtualService bound to the mesh, which istiod rejects',
    ]);
  });

  test('fails on overlapping hosts in one VirtualService, wildcards included (istiod: duplicate hosts)', () => {
    const hits = check(vsWildcardHost,
      virtualService('dup', { hosts: ['*.foo.com', 'a.example.com', '*.com'], gateways: ['ingress'] }),
      virtualService('twice', { hosts: ['checkout', 'checkout'] }));
    expect(lines(hits)).toEqual([
      'VirtualService/shop/dup /spec/hosts/2: host "*.com" overlaps host "*.foo.com" of the same VirtualService, which istiod rejects as duplicate hosts',
      'VirtualService/shop/twice /spec/hosts/1: host "checkout" overlaps host "checkout" of the same VirtualService, which istiod rejects as duplicate hosts',
    ]);
  });
});
