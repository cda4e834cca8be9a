import { check, destinationRule, lines, service, virtualService } from './objects';
import { vsUndefinedSubset } from '../../src/rules/vs-003-undefined-subset';

const dr = destinationRule('checkout', { host: 'checkout.shop.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });

describe('MESH-VS-003 vs-undefined-subset (IST0101, error)', () => {
  test('level is error', () => expect(vsUndefinedSubset.level).toBe('error'));

  test('passes a subset of a host whose Service and DestinationRules are not in the app (another app owns them)', () => {
    expect(check(vsUndefinedSubset, virtualService('pay', { hosts: ['payments'], http: [{ route: [{ destination: { host: 'payments', subset: 'v1' } }] }] }))).toEqual([]);
  });

  test('passes routes to defined subsets, with the host spelled short in the VirtualService', () => {
    expect(check(vsUndefinedSubset, dr, virtualService('checkout', {
      hosts: ['checkout'], http: [{ route: [{ destination: { host: 'checkout', subset: 'v1' } }], mirror: { host: 'checkout', subset: 'v1' } }],
    }))).toEqual([]);
  });

  test('fails on a route to a subset the DestinationRule does not define, and on a host without one', () => {
    const hits = check(vsUndefinedSubset, dr, virtualService('checkout', {
      hosts: ['checkout'],
      http: [{ route: [{ destination: { host: 'checkout', subset: 'v2' }, weight: 10 }, { destination: { host: 'checkout', subset: 'v1' }, weight: 90 }] }],
      tcp: [{ route: [{ destination: { host: 'payments', subset: 'v1' } }] }],
    }));
    expect(lines([...hits, ...check(vsUndefinedSubset, service('payments'), virtualService('pay', { hosts: ['payments'], tcp: [{ route: [{ destination: { host: 'payments', subset: 'v1' } }] }] }))])).toEqual([
      'VirtualService/shop/checkout /spec/http/0/route/0/destination/subset: subset "v2" of checkout.shop.svc.cluster.local is not defined by its DestinationRule (subsets: v1)',
      'VirtualService/shop/pay /spec/tcp/0/route/0/destination/subset: subset "v1" of payments.shop.svc.cluster.local is used, and no DestinationRule for payments.shop.svc.cluster.local is in the app',
    ]);
  });
});
