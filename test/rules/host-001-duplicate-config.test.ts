import { join } from 'node:path';
import { Yaml } from 'cdk8s';
import { check, lines, virtualService } from './objects';
import { hostDuplicateConfig } from '../../src/rules/host-001-duplicate-config';
import { KObject } from '../../src/rules/rule';

const ISTIO = join(__dirname, '..', 'fixtures', 'istio-analyzers');
const reported = (file: string) => [...new Set(check(hostDuplicateConfig, ...(Yaml.load(join(ISTIO, file)) as KObject[]))
  .map((h) => `VirtualService ${h.object.metadata?.namespace}/${h.object.metadata?.name}`))].sort();

describe('MESH-HOST-001 host-duplicate-config (IST0109, error)', () => {
  test('level is error, mirrors IST0109', () => {
    expect(hostDuplicateConfig.level).toBe('error');
    expect(hostDuplicateConfig.istioCodes).toEqual(['IST0109']);
  });

  test('passes one mesh VirtualService per host, gateway ones, and VirtualServices exported to disjoint namespaces', () => {
    expect(check(hostDuplicateConfig,
      virtualService('checkout', { hosts: ['checkout'] }),
      virtualService('checkout-edge', { hosts: ['checkout'], gateways: ['ingress'] }),
      // `checkout.shop` is not expanded by istiod: another host than checkout.shop.svc.cluster.local.
      virtualService('checkout-alias', { hosts: ['checkout.shop'] }),
      virtualService('ratings-a', { hosts: ['ratings.shop.svc.cluster.local'], exportTo: ['.'] }),
      virtualService('ratings-b', { hosts: ['ratings.shop.svc.cluster.local'], exportTo: ['pay'] }))).toEqual([]);
  });

  test('reports every VirtualService of a conflict, the first included', () => {
    const hits = check(hostDuplicateConfig,
      virtualService('checkout', { hosts: ['checkout'] }),
      virtualService('checkout-2', { hosts: ['checkout.shop.svc.cluster.local'] }));
    expect(lines(hits)).toEqual([
      'VirtualService/shop/checkout /spec/hosts: is one of 2 mesh-bound VirtualServices for checkout.shop.svc.cluster.local (VirtualService/shop/checkout, VirtualService/shop/checkout-2)',
      'VirtualService/shop/checkout-2 /spec/hosts: is one of 2 mesh-bound VirtualServices for checkout.shop.svc.cluster.local (VirtualService/shop/checkout, VirtualService/shop/checkout-2)',
    ]);
  });

  test('a namespace-scoped VirtualService conflicts with an exported-to-all one whose wildcard covers it', () => {
    const hits = check(hostDuplicateConfig,
      virtualService('local', { hosts: ['api.acme.com'], exportTo: ['.'] }),
      virtualService('all', { hosts: ['*.acme.com'] }, 'edge'));
    expect(hits.map((h) => h.object.metadata?.name)).toEqual(['local', 'all']);
  });

  test('istio testdata virtualservice_conflictingmeshgatewayhosts.yaml: the analyzer\'s findings', () => {
    expect(reported('virtualservice_conflictingmeshgatewayhosts.yaml')).toEqual([
      'VirtualService bar/ratings', 'VirtualService foo/bogus-productpage', 'VirtualService foo/productpage',
      'VirtualService foo/ratings', 'VirtualService team2/ratings', 'VirtualService team3/ratings', 'VirtualService team4/ratings',
    ]);
  });

  test('istio testdata virtualservice_conflictingmeshgatewayhosts_with_exportto.yaml: the analyzer\'s findings', () => {
    expect(reported('virtualservice_conflictingmeshgatewayhosts_with_exportto.yaml')).toEqual([
      'VirtualService bar/productpage', 'VirtualService bar/productpage-c', 'VirtualService bar/productpage-d',
      'VirtualService foo/productpage', 'VirtualService foo/productpage-c', 'VirtualService foo/productpage-d',
    ]);
  });
});
