import { check, destinationRule, lines, virtualService } from './objects';
import { hostDuplicateConfig } from '../../src/rules/host-001-duplicate-config';

describe('MESH-HOST-001 host-duplicate-config', () => {
  test('passes one DestinationRule and one mesh VirtualService per host (plus a gateway one)', () => {
    expect(check(hostDuplicateConfig,
      destinationRule('checkout', { host: 'checkout' }),
      destinationRule('checkout-callers', { host: 'checkout', workloadSelector: { matchLabels: { app: 'x' } } }),
      virtualService('checkout', { hosts: ['checkout'] }),
      virtualService('checkout-edge', { hosts: ['checkout'], gateways: ['ingress'] }))).toEqual([]);
  });

  test('fails on two DestinationRules and two mesh VirtualServices for one host, spelled differently', () => {
    const hits = check(hostDuplicateConfig,
      destinationRule('checkout', { host: 'checkout' }),
      destinationRule('checkout-tuning', { host: 'checkout.shop.svc.cluster.local' }, 'shop'),
      virtualService('checkout', { hosts: ['checkout'] }),
      virtualService('checkout-2', { hosts: ['checkout.shop'] }));
    expect(lines(hits)).toEqual([
      'DestinationRule/shop/checkout-tuning /spec/host: is a second DestinationRule for checkout.shop.svc.cluster.local (the first is DestinationRule/shop/checkout; 2 in all)',
      'VirtualService/shop/checkout-2 /spec/hosts: is a second VirtualService for checkout.shop.svc.cluster.local (the first is VirtualService/shop/checkout; 2 in all)',
    ]);
  });
});
