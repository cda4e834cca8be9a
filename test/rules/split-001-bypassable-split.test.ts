import { join } from 'node:path';
import { Chart, Include, Testing } from 'cdk8s';
import { check, deployment, destinationRule, lines, service, virtualService } from './objects';
import { CanaryRelease, MeshedService, MeshRules } from '../../src';
import { splitBypassable } from '../../src/rules/split-001-bypassable-split';

const pods = (v: string) => deployment(`reviews-${v}`, { labels: { app: 'reviews', version: v } });

/** Istio's documented shape (the Bookinfo reviews split): one Service over every version, subsets in a DestinationRule. */
function subsetSplit(weights: [number, number]) {
  return [
    service('reviews'),
    pods('v1'), pods('v2'),
    destinationRule('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] }),
    virtualService('reviews', {
      hosts: ['reviews'],
      http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: weights[0] }, { destination: { host: 'reviews', subset: 'v2' }, weight: weights[1] }] }],
    }),
  ];
}

describe('MESH-SPLIT-001 split-bypassable', () => {
  test('is a warning', () => expect(splitBypassable.level).toBe('warning'));

  test('warns on a subset split: the host Service spans both versions, so clients without the VirtualService ignore the weights', () => {
    expect(lines(check(splitBypassable, ...subsetSplit([90, 10])))).toEqual([
      'Service/shop/reviews /spec/selector: selects the pods of 2 backends of the split in VirtualService/shop/reviews '
      + '(reviews.shop.svc.cluster.local subset v1, reviews.shop.svc.cluster.local subset v2): clients that bypass the VirtualService reach them by pod count, whatever the weights',
    ]);
  });

  test('passes per-version Services with a host Service on one version (what MeshedService writes)', () => {
    const objs = [
      service('reviews', undefined, 'shop', { app: 'reviews', version: 'v1' }),
      service('reviews-v1', undefined, 'shop', { app: 'reviews', version: 'v1' }),
      service('reviews-v2', undefined, 'shop', { app: 'reviews', version: 'v2' }),
      pods('v1'), pods('v2'),
      virtualService('reviews', {
        hosts: ['reviews'],
        http: [{ route: [{ destination: { host: 'reviews-v1' }, weight: 90 }, { destination: { host: 'reviews-v2' }, weight: 10 }] }],
      }),
    ];
    expect(check(splitBypassable, ...objs)).toEqual([]);
  });

  test('passes a VirtualService with one backend, and one whose host Service is not in the app', () => {
    expect(check(splitBypassable, service('reviews'), pods('v1'), pods('v2'),
      virtualService('reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }))).toEqual([]);
    expect(check(splitBypassable, ...subsetSplit([90, 10]).slice(1))).toEqual([]);
  });

  test('an app\'s own canary is clean; an Included Service over every version of it is reported', () => {
    const app = Testing.app();
    const c = new Chart(app, 'shop', { namespace: 'shop' });
    const svc = new MeshedService(c, 'checkout', { image: 'acme/checkout:2', port: 8080, version: 'v2' });
    svc.addVersion('v3');
    new CanaryRelease(c, 'canary', { service: svc, canaryVersion: 'v3', canaryWeight: 0 });
    expect(MeshRules.check(app).filter((f) => f.ruleId === 'MESH-SPLIT-001')).toEqual([]);
    new Include(c, 'legacy', { url: join(__dirname, '..', 'fixtures', 'yaml', 'checkout-legacy-service.yaml') });
    const found = MeshRules.check(app).filter((f) => f.ruleId === 'MESH-SPLIT-001');
    expect(found.map((f) => f.object)).toEqual(['Service/shop/checkout-legacy']);
    expect(found[0].level).toBe('warning');
  });

  test('never throws on odd shapes', () => {
    expect(check(splitBypassable, virtualService('x', { http: [null, { route: 'x' }, { route: [{ destination: null }] }], tcp: {} }), service('x', [], 'shop', {}))).toEqual([]);
  });
});
