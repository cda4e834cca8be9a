import { Chart, Duration, Testing, YamlOutputType } from 'cdk8s';
import {
  CallerIdentity, CanaryRelease, HeaderMatch, IngressApi, IngressTls, Mesh, MeshedService, MeshProtocol, RetryPolicy,
  ServiceIngress, ServiceIngressProps, TunedControlPlane,
} from '../../src';
import { all, expectMeshError, ForValidator, Obj, only } from '../util';

function shop(props: Partial<ServiceIngressProps> = {}, weight = 10) {
  const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
  const c = new Chart(app, 'shop', { namespace: 'shop' });
  const storefront = new MeshedService(c, 'storefront', {
    image: 'acme/storefront:5',
    port: 8080,
    version: 'v5',
    replicas: 3,
    timeout: Duration.seconds(10),
    retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(4) }),
  });
  storefront.addVersion('v6', { image: 'acme/storefront:6', replicas: 1 });
  new CanaryRelease(c, 'canary', { service: storefront, canaryVersion: 'v6', canaryWeight: weight, headerOverride: HeaderMatch.exact('x-canary', 'true') });
  const ingress = new ServiceIngress(c, 'ingress', { service: storefront, hosts: ['shop.example.com'], tls: IngressTls.fromSecret('shop-tls'), ...props });
  return { app, c, storefront, ingress };
}

const validated = new ForValidator();
const synthAll = (app: ReturnType<typeof Testing.app>) => app.charts.flatMap((ch) => Testing.synth(ch) as Obj[]);

describe('ServiceIngress through an Istio Gateway', () => {
  test('a Gateway in the root namespace, and the service\'s own VirtualService bound to mesh and the Gateway', () => {
    const { app, ingress } = shop();
    const objs = synthAll(app);
    const gw = only(objs, 'Gateway');
    expect(gw.metadata).toEqual({ name: 'storefront-ingress', namespace: 'istio-system' });
    expect(gw.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], tls: { httpsRedirect: true } },
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-tls' } },
      ],
    });
    // still exactly one VirtualService for the host, now bound to the gateway too
    const vs = only(objs, 'VirtualService');
    expect(vs.spec.gateways).toEqual(['mesh', 'istio-system/storefront-ingress']);
    expect(vs.spec.hosts).toEqual(['storefront.shop.svc.cluster.local', 'shop.example.com']);
    // the split, the header override, the timeout and the retries hold from the edge
    expect(vs.spec.http[0]).toMatchObject({ match: [{ headers: { 'x-canary': { exact: 'true' } } }], timeout: '10s', retries: { attempts: 2 } });
    expect(vs.spec.http[1].route.map((r: any) => r.weight)).toEqual([90, 10]);
    expect(ingress.gatewayPrincipal).toBe('cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account');
    validated.add(objs);
    expect([gw, vs]).toMatchSnapshot();
  });

  test('path prefixes restrict gateway traffic only; the mesh keeps every path', () => {
    const { app } = shop({ pathPrefixes: ['/shop', '/cart'] });
    const vs = only(synthAll(app), 'VirtualService');
    expect(vs.spec.http.map((r: any) => [r.name, r.match])).toEqual([
      ['v6-by-header', [{ headers: { 'x-canary': { exact: 'true' } }, gateways: ['mesh'] }]],
      ['v6-by-header-storefront-ingress', [
        { headers: { 'x-canary': { exact: 'true' } }, uri: { prefix: '/shop' }, gateways: ['istio-system/storefront-ingress'] },
        { headers: { 'x-canary': { exact: 'true' } }, uri: { prefix: '/cart' }, gateways: ['istio-system/storefront-ingress'] },
      ]],
      ['default', [{ gateways: ['mesh'] }]],
      ['default-storefront-ingress', [
        { uri: { prefix: '/shop' }, gateways: ['istio-system/storefront-ingress'] },
        { uri: { prefix: '/cart' }, gateways: ['istio-system/storefront-ingress'] },
      ]],
    ]);
    validated.add([vs]);
  });

  test('without TLS: plain HTTP on port 80, no redirect', () => {
    const { app, ingress } = shop({ tls: undefined });
    expect(only(synthAll(app), 'Gateway').spec.servers).toEqual([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }]);
    expect(ingress.httpsRedirect).toBe(false);
  });

  test('the Gateway follows the app\'s root namespace', () => {
    const { app } = shop();
    Mesh.declareRootNamespace(app, 'mesh-system');
    const objs = synthAll(app);
    expect(only(objs, 'Gateway').metadata.namespace).toBe('mesh-system');
    expect(only(objs, 'VirtualService').spec.gateways).toEqual(['mesh', 'mesh-system/storefront-ingress']);
  });
});

describe('ServiceIngress through the Gateway API', () => {
  test('a Gateway of class istio, an HTTPRoute weighted like the VirtualService, and an HTTPS redirect', () => {
    const { app, ingress } = shop({ api: IngressApi.GATEWAY_API });
    const objs = synthAll(app);
    const gw = only(objs, 'Gateway');
    expect(gw.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gw.metadata).toEqual({ name: 'storefront-ingress', namespace: 'istio-system' });
    const allowedRoutes = { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } } };
    expect(gw.spec).toEqual({
      gatewayClassName: 'istio',
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes },
        { name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'shop-tls' }] }, allowedRoutes },
      ],
    });
    const route = only(objs, 'HTTPRoute', 'storefront-ingress');
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'storefront-ingress', namespace: 'istio-system', sectionName: 'https' }],
      hostnames: ['shop.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'Exact', name: 'x-canary', value: 'true' }] }],
          backendRefs: [{ name: 'storefront-v6', port: 8080 }],
          timeouts: { request: '10s' },
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: 'storefront-v5', port: 8080, weight: 90 }, { name: 'storefront-v6', port: 8080, weight: 10 }],
          timeouts: { request: '10s' },
        },
      ],
    });
    expect(only(objs, 'HTTPRoute', 'storefront-ingress-redirect').spec.rules).toEqual([
      { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] },
    ]);
    // the VirtualService stays mesh-only: the HTTPRoute carries the edge
    expect(only(objs, 'VirtualService').spec.gateways).toBeUndefined();
    expect(ingress.gatewayPrincipal).toBe('cluster.local/ns/istio-system/sa/storefront-ingress-istio');
    validated.add(objs);
  });
});

describe('ServiceIngress output', () => {
  validated.test();
});

describe('ServiceIngress checks', () => {
  const at = 'shop/ingress';
  test('fails when two entries claim one host', () => {
    const { app, c, storefront } = shop();
    new ServiceIngress(c, 'again', { service: storefront, hosts: ['shop.example.com'], name: 'again' });
    expectMeshError(() => synthAll(app), 'shop/again', /hosts is also claimed by shop\/ingress \(for shop\/storefront\).*got "shop\.example\.com"/);
  });
  test('fails when wildcard hosts overlap', () => {
    const { app, c } = shop();
    const other = new MeshedService(c, 'blog', { image: 'acme/blog:1', port: 8080 });
    new ServiceIngress(c, 'blog-ingress', { service: other, hosts: ['*.example.com'], api: IngressApi.GATEWAY_API });
    expectMeshError(() => synthAll(app), 'shop/blog-ingress', /hosts overlaps "shop\.example\.com", claimed by shop\/ingress/);
  });
  test('fails when TLS has no credential', () =>
    expectMeshError(() => shop({ tls: IngressTls.fromSecret('') }), at, /tls\.secretName must name a Secret.*a TLS host without a credential gets no certificate/));
  test('fails when the app\'s control planes install no ingress gateway', () => {
    const { app } = shop();
    new TunedControlPlane(new Chart(app, 'control'), 'istio', { ingressGateway: { enabled: false } });
    expectMeshError(() => synthAll(app), at, /api selects the gateway pods labelled istio=ingressgateway, and no TunedControlPlane of the app installs an ingress gateway \(control\/istio\)/);
  });
  test('fails when the service\'s AuthorizationPolicy would refuse the gateway, with the fix', () => {
    const { app, c, storefront } = shop();
    const web = new MeshedService(c, 'web', { image: 'acme/web:1', port: 8080 });
    web.talksTo(storefront);
    expectMeshError(() => synthAll(app), at, /service has an AuthorizationPolicy that does not allow the gateway \(cluster\.local\/ns\/istio-system\/sa\/istio-ingressgateway-service-account\).*storefront\.allowCallsFrom\(CallerIdentity\.ingressGateway\(\)\)/);
    storefront.allowCallsFrom(CallerIdentity.ingressGateway());
    expect(() => synthAll(app)).not.toThrow();
  });
  test('fails when a Gateway API entry would carry a prefix header match', () => {
    const app = Testing.app();
    const c = new Chart(app, 'shop', { namespace: 'shop' });
    const s = new MeshedService(c, 'storefront', { image: 'a/s:1', port: 8080 });
    s.addVersion('v2');
    new CanaryRelease(c, 'canary', { service: s, canaryVersion: 'v2', headerOverride: HeaderMatch.prefix('user-agent', 'qa-bot/') });
    new ServiceIngress(c, 'ingress', { service: s, hosts: ['shop.example.com'], api: IngressApi.GATEWAY_API });
    expectMeshError(() => Testing.synth(c), at, /api cannot carry the prefix header match.*use HeaderMatch\.exact/);
  });
  test('fails on bad input at construction', () => {
    const make = (props: any) => () => {
      const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
      const svc = new MeshedService(c, 'storefront', { image: 'a/s:1', port: 8080, protocol: props.protocol });
      new ServiceIngress(c, 'ingress', { service: svc, hosts: ['shop.example.com'], ...props, protocol: undefined });
    };
    expectMeshError(make({ hosts: [] }), at, /hosts must list at least one host name/);
    expectMeshError(make({ hosts: ['*.example.com'] }), at, /hosts is a wildcard, and through an Istio Gateway the service's own VirtualService .* would capture every sidecar's calls.*IngressApi\.GATEWAY_API/);
    expectMeshError(make({ hosts: 'shop.example.com' }), at, /hosts must list at least one host name/);
    expectMeshError(make({ hosts: ['Shop.Example.com'] }), at, /hosts\[0\] must be a lowercase DNS name/);
    expectMeshError(make({ hosts: ['*'] }), at, /hosts\[0\] must be a lowercase DNS name.*no bare "\*"/);
    expectMeshError(make({ hosts: ['shop.example.com', 'shop.example.com'] }), at, /hosts\[1\] is listed twice/);
    expectMeshError(make({ hosts: ['web.shop.svc.cluster.local'] }), at, /hosts\[0\] is a cluster-local name/);
    expectMeshError(make({ pathPrefixes: ['shop'] }), at, /pathPrefixes\[0\] must be a URL path starting with "\/"/);
    expectMeshError(make({ pathPrefixes: ['/a//b'] }), at, /pathPrefixes\[0\] must be a URL path/);
    expectMeshError(make({ pathPrefixes: ['/a b'] }), at, /pathPrefixes\[0\] must be a URL path/);
    expectMeshError(make({ pathPrefixes: [] }), at, /pathPrefixes must list at least one path prefix/);
    expectMeshError(make({ httpsRedirect: true }), at, /httpsRedirect needs tls/);
    expectMeshError(make({ tls: 'shop-tls' }), at, /tls must be an IngressTls/);
    expectMeshError(make({ api: 'nginx' }), at, /api/);
    expectMeshError(make({ name: 'Bad_Name' }), at, /name must be a DNS-1123 label/);
    expectMeshError(make({ protocol: MeshProtocol.TCP }), at, /service speaks tcp, and an HTTP ingress needs HTTP, HTTP2 or gRPC/);
    const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    expectMeshError(() => new ServiceIngress(c, 'ingress', { service: {} as any, hosts: ['a.b.com'] }), at, /service must be a MeshedService/);
    expectMeshError(() => new ServiceIngress(c, 'ingress2', undefined as any), 'shop/ingress2', /props must be a ServiceIngressProps object/);
  });
});

describe('the split holds from the edge', () => {
  // What the ingress gateway reaches: the VirtualService bound to it routes by weight to each version's Service.
  function edgeShare(objs: Obj[]): Record<string, number> {
    const vs = only(objs, 'VirtualService');
    const ref = vs.spec.gateways.find((g: string) => g !== 'mesh');
    const rule = vs.spec.http.find((r: any) => !r.match || r.match.every((m: any) => !m.headers && (m.gateways ?? [ref]).includes(ref)));
    const share: Record<string, number> = {};
    for (const r of rule.route) {
      const svc = all(objs, 'Service').find((s) => `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local` === r.destination.host)!;
      share[svc.spec.selector.version] = rule.route.length === 1 ? 100 : r.weight;
    }
    return share;
  }
  test.each([[0, { v5: 100 }], [10, { v5: 90, v6: 10 }], [100, { v6: 100 }]])('at weight %i', (weight, expected) => {
    expect(edgeShare(synthAll(shop({}, weight).app))).toEqual(expected);
  });
});
