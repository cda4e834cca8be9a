import { check, destinationRule, lines } from './objects';
import { hostMergedDestinationRules } from '../../src/rules/host-002-merged-destination-rules';

const pool = { connectionPool: { tcp: { maxConnections: 100 } } };

describe('MESH-HOST-002 host-merged-destination-rules (warning)', () => {
  test('level is warning', () => expect(hostMergedDestinationRules.level).toBe('warning'));

  test('passes DestinationRules for one host in the client\'s, the Service\'s and the root namespace (lookup order, not a conflict)', () => {
    expect(check(hostMergedDestinationRules,
      destinationRule('checkout', { host: 'checkout', trafficPolicy: pool }, 'shop'),
      destinationRule('checkout-from-web', { host: 'checkout.shop.svc.cluster.local', trafficPolicy: pool }, 'web'),
      destinationRule('default', { host: '*.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }, 'istio-system'))).toEqual([]);
  });

  test('passes same-namespace DestinationRules with different exportTo or workload selectors, or that merge without loss', () => {
    expect(check(hostMergedDestinationRules,
      destinationRule('a', { host: 'checkout', trafficPolicy: pool, exportTo: ['.'] }),
      destinationRule('b', { host: 'checkout', trafficPolicy: pool, exportTo: ['*'] }),
      destinationRule('c', { host: 'checkout', trafficPolicy: pool, workloadSelector: { matchLabels: { app: 'web' } } }),
      destinationRule('d', { host: 'checkout', subsets: [{ name: 'v2', labels: { version: 'v2' } }] }))).toEqual([]);
  });

  test('warns where a merge drops a second trafficPolicy or a subset defined twice', () => {
    const hits = check(hostMergedDestinationRules,
      destinationRule('checkout', { host: 'checkout', trafficPolicy: pool, subsets: [{ name: 'v1', labels: { version: 'v1' } }] }),
      destinationRule('checkout-tuning', { host: 'checkout.shop.svc.cluster.local', trafficPolicy: pool, subsets: [{ name: 'v1', labels: { version: 'one' } }] }));
    expect(lines(hits)).toEqual([
      'DestinationRule/shop/checkout-tuning /spec/trafficPolicy: trafficPolicy for checkout.shop.svc.cluster.local is dropped when istiod merges it with DestinationRule/shop/checkout (which applies, if it is older)',
      'DestinationRule/shop/checkout-tuning /spec/subsets/0: subset "v1" of checkout.shop.svc.cluster.local is also defined by DestinationRule/shop/checkout: istiod keeps one of them',
    ]);
  });
});
