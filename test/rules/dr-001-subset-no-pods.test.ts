import { check, deployment, destinationRule, lines, service } from './objects';
import { drSubsetNoPods } from '../../src/rules/dr-001-subset-no-pods';

const dr = (version: string) => destinationRule('checkout', { host: 'checkout', subsets: [{ name: version, labels: { app: 'checkout', version } }] });

describe('MESH-DR-001 dr-subset-no-pods', () => {
  test('passes a subset that selects a Deployment\'s pod template behind the Service', () => {
    expect(check(drSubsetNoPods, dr('v1'), service('checkout'), deployment('checkout'))).toEqual([]);
  });

  test('level is error (IST0173)', () => expect(drSubsetNoPods.level).toBe('error'));

  test('passes subsets keyed on node/cluster labels (topology.kubernetes.io/region|zone...), which istiod adds to endpoints', () => {
    expect(check(drSubsetNoPods, service('checkout'), deployment('checkout'), destinationRule('checkout', {
      host: 'checkout',
      subsets: [
        { name: 'eu', labels: { 'topology.kubernetes.io/region': 'eu-west-1' } },
        { name: 'eu-a', labels: { 'version': 'v1', 'topology.kubernetes.io/zone': 'eu-west-1a', 'topology.istio.io/subzone': 'rack1' } },
        { name: 'c1', labels: { 'topology.istio.io/cluster': 'c1', 'topology.istio.io/network': 'n1', 'kubernetes.io/hostname': 'node-1' } },
      ],
    }))).toEqual([]);
  });

  test('passes when the Service or its pods are not in the app (another app deploys them)', () => {
    expect(check(drSubsetNoPods, dr('v2'))).toEqual([]);
    expect(check(drSubsetNoPods, dr('v2'), service('checkout'))).toEqual([]);
  });

  test('passes external hosts (no pods to see)', () => {
    expect(check(drSubsetNoPods, destinationRule('ext', { host: 'api.stripe.com', subsets: [{ name: 'a', labels: { x: 'y' } }] }))).toEqual([]);
  });

  test('fails on a subset no pod template has, or one in another namespace', () => {
    const hits = check(drSubsetNoPods, dr('v2'), service('checkout'), deployment('checkout'), deployment('checkout', { namespace: 'other', labels: { app: 'checkout', version: 'v2' } }));
    expect(lines(hits)).toEqual([
      'DestinationRule/shop/checkout /spec/subsets/0/labels: subset "v2" selects {"app":"checkout","version":"v2"} (with the Service selector), and no pod template in namespace shop has those labels',
    ]);
  });
});
