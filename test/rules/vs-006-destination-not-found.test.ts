import { join } from 'node:path';
import { Chart, Testing, Yaml } from 'cdk8s';
import { check, destinationRule, lines, namespaceObject, service, virtualService } from './objects';
import { CanaryRelease, HeaderMatch, IngressTls, MeshedService, MeshRules, ServiceIngress } from '../../src';
import { drUnknownHost } from '../../src/rules/dr-004-unknown-host';
import { KObject, MeshRule } from '../../src/rules/rule';
import { vsDestinationNotFound } from '../../src/rules/vs-006-destination-not-found';
import { vsMirrorNotFound } from '../../src/rules/vs-007-mirror-not-found';
import { vsDestinationPortRequired } from '../../src/rules/vs-008-destination-port-required';

const ISTIO = join(__dirname, '..', 'fixtures', 'istio-analyzers');
const load = (f: string) => Yaml.load(join(ISTIO, f)) as KObject[];
/** `Kind ns/name` per hit (not deduplicated: the analyzer's test counts messages). */
const reported = (rule: MeshRule, objects: KObject[]) => check(rule, ...objects).map((h) => `${h.object.kind} ${h.object.metadata?.namespace}/${h.object.metadata?.name}`).sort();
const seOf = (name: string, spec: any, ns = 'shop'): KObject => ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace: ns }, spec });

describe('VirtualService destinations (IST0101, IST0112) on virtualservice_destinationhosts.yaml', () => {
  const objects = load('virtualservice_destinationhosts.yaml');

  test('levels: a missing route host or port is an error, a missing mirror a warning, a missing port selector a warning', () => {
    expect(vsDestinationNotFound.level).toBe('error');
    expect(vsMirrorNotFound.level).toBe('warning');
    expect(vsDestinationPortRequired.level).toBe('warning');
    expect(drUnknownHost.level).toBe('warning');
  });

  test('the three rules together report the objects the analyzer\'s test expects', () => {
    // analyzers_test.go "virtualServiceDestinationHosts": 7 × ReferencedResourceNotFound (IST0101), 1 × IST0112.
    // Its second message for reviews-bogushost is the empty route `{}`: istiod's validation rejects a route
    // without a destination (pkg/config/validation/validation.go "destination is required"), not ours to judge.
    expect(reported(vsDestinationNotFound, objects)).toEqual([
      'VirtualService default/reviews-bogushost',
      'VirtualService default/reviews-bogusport',
      'VirtualService default/reviews-bookinfo-other',
      'VirtualService hello/hello-export-to-bogus',
      'VirtualService istio-system/cross-namespace-details',
    ]);
    expect(reported(vsMirrorNotFound, objects)).toEqual(['VirtualService default/reviews-mirror-bogushost']);
    expect(reported(vsDestinationPortRequired, objects)).toEqual(['VirtualService default/reviews-2port-missing']);
  });

  test('says where and what', () => {
    expect(lines(check(vsDestinationNotFound, ...objects)).filter((l) => /bogus(host|port)/.test(l))).toEqual([
      'VirtualService/default/reviews-bogushost /spec/http/0/route/1/destination/host: host "reviews-bogus" (reviews-bogus.default.svc.cluster.local) is not a Service or ServiceEntry visible to namespace default',
      'VirtualService/default/reviews-bogusport /spec/http/0/route/0/destination/port/number: port 999 of reviews.default.svc.cluster.local is not a port of Service/default/reviews (ports: 42)',
    ]);
  });
});

describe('judged only where the app can tell', () => {
  test('a host of a namespace with no Service nor Namespace object in the app is not judged, nor an external host no ServiceEntry declares', () => {
    const vs = virtualService('pay', { hosts: ['payments'], http: [{ route: [{ destination: { host: 'payments' } }, { destination: { host: 'api.stripe.com' } }] }] });
    expect(check(vsDestinationNotFound, vs)).toEqual([]);
    expect(lines(check(vsDestinationNotFound, vs, namespaceObject('shop')))).toEqual([
      'VirtualService/shop/pay /spec/http/0/route/0/destination/host: host "payments" (payments.shop.svc.cluster.local) is not a Service or ServiceEntry visible to namespace shop',
    ]);
    expect(check(vsDestinationNotFound, vs, service('payments'))).toEqual([]);
  });

  test('ServiceEntry hosts: found with their ports, wildcards cover; a port they do not list is reported', () => {
    const se = seOf('stripe', { hosts: ['api.stripe.com', '*.stripe.net'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' });
    const ok = virtualService('pay', { hosts: ['api.stripe.com'], tls: [{ match: [{ port: 443, sniHosts: ['api.stripe.com'] }], route: [{ destination: { host: 'api.stripe.com', port: { number: 443 } } }, { destination: { host: 'eu.stripe.net' } }] }] });
    expect(check(vsDestinationNotFound, se, ok)).toEqual([]);
    const bad = virtualService('pay2', { hosts: ['api.stripe.com'], tcp: [{ route: [{ destination: { host: 'api.stripe.com', port: { number: 8443 } } }] }] });
    expect(lines(check(vsDestinationNotFound, se, bad))).toEqual([
      'VirtualService/shop/pay2 /spec/tcp/0/route/0/destination/port/number: port 8443 of api.stripe.com is not a port of ServiceEntry/shop/stripe (ports: 443)',
    ]);
  });

  test('a multi-port Service: no port is a warning (MESH-VS-008), a listed port passes', () => {
    const svc = service('api', [{ name: 'http', port: 80 }, { name: 'grpc', port: 9090 }]);
    const vs = virtualService('api', { hosts: ['api'], http: [{ route: [{ destination: { host: 'api' } }] }, { route: [{ destination: { host: 'api', port: { number: 9090 } } }] }] });
    expect(lines(check(vsDestinationPortRequired, svc, vs))).toEqual([
      'VirtualService/shop/api /spec/http/0/route/0/destination: destination api.shop.svc.cluster.local names no port, and Service/shop/api has ports 80, 9090',
    ]);
    expect(check(vsDestinationNotFound, svc, vs)).toEqual([]);
  });
});

describe('MESH-DR-004 (IST0174) on destinationrule-with-fake-host.yaml', () => {
  test('reported once the namespace is known to the app (the analyzer sees the live cluster)', () => {
    const objects = load('destinationrule-with-fake-host.yaml');
    expect(check(drUnknownHost, ...objects)).toEqual([]);
    expect(lines(check(drUnknownHost, ...objects, namespaceObject('default')))).toEqual([
      'DestinationRule/default/fake-host /spec/host: host "fake-svc.default.svc.cluster.local" (fake-svc.default.svc.cluster.local) is not a Service or ServiceEntry visible to namespace default',
    ]);
  });

  test('passes DestinationRules for a Service (short or qualified), a ServiceEntry, and hosts the app cannot judge', () => {
    expect(check(drUnknownHost,
      service('checkout'), seOf('stripe', { hosts: ['api.stripe.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }),
      destinationRule('a', { host: 'checkout' }), destinationRule('b', { host: 'checkout.shop.svc.cluster.local' }),
      destinationRule('c', { host: 'api.stripe.com' }), destinationRule('d', { host: 'payments.billing.svc.cluster.local' }),
    )).toEqual([]);
  });

  test('a Service exported to its own namespace only is not visible to a DestinationRule elsewhere', () => {
    const svc: KObject = { ...service('checkout'), metadata: { name: 'checkout', namespace: 'shop', annotations: { 'networking.istio.io/exportTo': '.' } } };
    expect(check(drUnknownHost, svc, destinationRule('a', { host: 'checkout.shop.svc.cluster.local' }, 'ops')).map((h) => h.location)).toEqual(['/spec/host']);
    expect(check(drUnknownHost, svc, destinationRule('a', { host: 'checkout' }))).toEqual([]);
  });
});

test('our own constructs pass: MeshedService versions, a CanaryRelease with a header override, a ServiceIngress, a mirror', () => {
  const app = Testing.app();
  const c = new Chart(app, 'shop', { namespace: 'shop' });
  const svc = new MeshedService(c, 'storefront', { image: 'acme/storefront:5', port: 8080, version: 'v5' });
  svc.addVersion('v6');
  new CanaryRelease(c, 'canary', { service: svc, canaryVersion: 'v6', canaryWeight: 10, headerOverride: HeaderMatch.exact('x-canary', 'true') });
  new ServiceIngress(c, 'ingress', { service: svc, hosts: ['shop.example.com'], tls: IngressTls.fromSecret('shop-tls') });
  const search = new MeshedService(c, 'search', { image: 'acme/search:1', port: 8080, version: 'v1' });
  search.addVersion('v2');
  new CanaryRelease(c, 'shadow', { service: search, canaryVersion: 'v2', canaryWeight: 0, mirrorPercent: 20, headerOverride: HeaderMatch.none() });
  const ids = new Set([vsDestinationNotFound, vsMirrorNotFound, vsDestinationPortRequired, drUnknownHost].map((r) => r.id));
  const findings = MeshRules.check(app);
  expect(findings.filter((f) => ids.has(f.ruleId))).toEqual([]);
  // The rules did look: the app has per-version routes for them to judge.
  const objs = Testing.synth(c) as KObject[];
  const specs = objs.filter((o) => o.kind === 'VirtualService').map((o) => JSON.stringify(o.spec)).join('\n');
  expect(specs).toMatch(/"host":"storefront-v6\.shop\.svc\.cluster\.local"/);
  expect(specs).toMatch(/"mirror":\{"host":"search-v2\.shop\.svc\.cluster\.local"/);
});
