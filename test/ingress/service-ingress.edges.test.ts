// Boundaries of every ServiceIngress check: the last value accepted (and what it writes) next to
// the first value refused, with the whole message; and the parts of the HTTPRoute no other test
// reaches (a mirror, a regex header route, a single version, no redirect).
import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CallerIdentity, DependencyPolicy, HeaderMatchType, IngressApi, IngressTls, MeshedService, MeshedServiceProps, MeshProtocol, ServiceIngress,
  ServiceIngressProps, TunedControlPlane,
} from '../../src';
import { chart, expectRefused, ForValidator, Obj, only, synth } from '../util';

const PATH = 'test/in';
const base: MeshedServiceProps = { image: 'ghcr.io/acme/shop:1.0', port: 8080 };

/** A service `svc` in `shop` (two versions if `routing` is given) and an entry `in`, synthesized. */
function entry(props: Partial<ServiceIngressProps> = {}, opts: { svc?: Partial<MeshedServiceProps>; routing?: any } = {}): Obj[] {
  const { chart: c } = chart();
  const s = new MeshedService(c, 'svc', { ...base, ...opts.svc });
  if (opts.routing) {
    s.addVersion('v2');
    s.setRouting(new Construct(c, 'owner'), opts.routing);
  }
  new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'], ...props } as ServiceIngressProps);
  return synth(c);
}

const api = IngressApi.GATEWAY_API;
const validated = new ForValidator();
const route = (objs: Obj[]) => only(objs, 'HTTPRoute', 'svc-ingress').spec;

describe('ServiceIngress: the service', () => {
  test('a service with no known namespace is refused', () => {
    const c = new Chart(Testing.app(), 'test'); // no namespace
    const s = new MeshedService(c, 'svc', base);
    expectRefused(() => new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'] }),
      `${PATH}: service has no known namespace: the gateway's route must name it, got "test/svc": set namespace on the service or its chart`);
  });

  test('a service whose own namespace is set is accepted in a chart without one', () => {
    const c = new Chart(Testing.app(), 'test'); // no namespace
    const s = new MeshedService(c, 'svc', { ...base, namespace: 'shop' });
    new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'], api });
    expect(only(synth(c), 'HTTPRoute', 'svc-ingress').metadata.namespace).toBe('shop');
  });

  test('a TCP service is refused; HTTP2 and gRPC are accepted', () => {
    expectRefused(() => entry({}, { svc: { protocol: MeshProtocol.TCP } }),
      `${PATH}: service speaks tcp, and an HTTP ingress needs HTTP, HTTP2 or gRPC, got "test/svc": expose TCP services with a LoadBalancer Service or a TCP Gateway of your own`);
    for (const protocol of [MeshProtocol.HTTP2, MeshProtocol.GRPC]) {
      expect(only(entry({}, { svc: { protocol } }), 'Gateway').spec.servers[0].hosts).toEqual(['shop.example.com']);
    }
  });
});

describe('ServiceIngress: hosts', () => {
  const long253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.io`;

  test.each([
    ['a name with one dot', 'example.com'],
    ['253 characters', long253],
    ['a name that only contains "svc"', 'shop.svc.example.com'],
    ['digits', '1.2.example.com'],
  ])('%s is accepted and written on the Gateway', (_what, host) => {
    expect(host.length).toBeLessThanOrEqual(253);
    expect(only(entry({ hosts: [host] }), 'Gateway').spec.servers[0].hosts).toEqual([host]);
  });

  test('a wildcard is accepted through the Gateway API, and written on the HTTPRoute', () => {
    expect(route(entry({ hosts: ['*.example.com'], api })).hostnames).toEqual(['*.example.com']);
  });

  test('a wildcard is refused through an Istio Gateway', () => {
    expectRefused(() => entry({ hosts: ['shop.example.com', '*.example.com'] }),
      `${PATH}: hosts is a wildcard, and through an Istio Gateway the service's own VirtualService (bound to the mesh as well) would capture every sidecar's calls to matching hosts, got "*.example.com": name each host, or use api: IngressApi.GATEWAY_API, whose HTTPRoute applies at the gateway only`);
  });

  test.each([
    ['254 characters', `${long253}a`],
    ['no dot', 'localhost'],
    ['a trailing dot', 'example.com.'],
    ['a wildcard in the middle', 'shop.*.example.com'],
    ['an empty label', 'shop..example.com'],
  ])('%s is refused', (_what, host) => {
    expectRefused(() => entry({ hosts: [host], api }),
      `${PATH}: hosts[0] must be a lowercase DNS name with at least one dot, optionally starting with "*." (no IP, no port, no bare "*"), got ${JSON.stringify(host)}: use e.g. "shop.example.com" or "*.shop.example.com"`);
  });

  test.each(['shop.svc', 'shop.prod.svc', 'shop.prod.svc.cluster.local', 'anything.cluster.local'])('cluster-local %s is refused', (host) => {
    expectRefused(() => entry({ hosts: [host], api }),
      `${PATH}: hosts[0] is a cluster-local name: callers inside the mesh reach the service by its own host already, got ${JSON.stringify(host)}`);
  });

  test('the second host is named by its index', () => {
    expectRefused(() => entry({ hosts: ['shop.example.com', 'Bad'] }), `${PATH}: hosts[1] must be a lowercase DNS name`);
  });
});

describe('ServiceIngress: path prefixes', () => {
  const long1024 = `/${'a'.repeat(1023)}`;

  test.each([
    ['/', '/'],
    ['1024 characters', long1024],
    ['dots inside a segment', '/a..b/c.d'],
    ['an encoded space', '/a%20b'],
    ['a trailing slash', '/shop/'],
    ['sub-delims and ":" "@"', "/a!$&'()*+,;=:@~"],
  ])('%s is accepted and written', (_what, prefix) => {
    expect(route(entry({ pathPrefixes: [prefix], api })).rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: prefix } }]);
  });

  test.each([
    ['1025 characters', `${long1024}a`],
    ['a "//"', '//shop'],
    ['a "/./"', '/a/./b'],
    ['a "/../"', '/a/../b'],
    ['a trailing "/.."', '/a/..'],
    ['a trailing "/."', '/a/.'],
    ['an encoded "/" (lowercase)', '/a%2fb'],
    ['an encoded "/" (uppercase)', '/a%2Fb'],
    ['a "#"', '/a#b'],
    ['a "?"', '/a?b'],
    ['a bad escape', '/a%zz'],
    ['a space', '/a b'],
    ['empty', ''],
  ])('%s is refused', (_what, prefix) => {
    expectRefused(() => entry({ pathPrefixes: [prefix], api }),
      `${PATH}: pathPrefixes[0] must be a URL path starting with "/" (no "//", "/./", "/../", encoded "/" or "#"; at most 1024 characters), got ${JSON.stringify(prefix)}: use e.g. "/shop" or "/api/v1"`);
  });

  test('pathPrefixes that are not a list are refused', () => {
    expectRefused(() => entry({ pathPrefixes: '/shop' as any }),
      `${PATH}: pathPrefixes must list at least one path prefix, got "/shop": leave pathPrefixes unset for every path, or pass e.g. ["/shop"]`);
  });

  test('several prefixes through an Istio Gateway: one match per prefix, bound to the gateway', () => {
    const vs = only(entry({ pathPrefixes: ['/a', '/b'] }), 'VirtualService');
    expect(vs.spec.http.map((h: any) => h.name)).toEqual(['default', 'default-svc-ingress']);
    expect(vs.spec.http[1].match).toEqual([
      { uri: { prefix: '/a' }, gateways: ['istio-system/svc-ingress'] },
      { uri: { prefix: '/b' }, gateways: ['istio-system/svc-ingress'] },
    ]);
  });

  test('"/" among other prefixes still writes the gateway\'s own matches (one per prefix)', () => {
    const vs = only(entry({ pathPrefixes: ['/', '/api'] }), 'VirtualService');
    expect(vs.spec.http[0].match).toEqual([{ gateways: ['mesh'] }]);
    expect(vs.spec.http[1].match.map((m: any) => m.uri.prefix)).toEqual(['/', '/api']);
  });
});

describe('ServiceIngress: TLS and the redirect', () => {
  test('with tls the redirect is on by default; httpsRedirect: false turns it off', () => {
    const on = only(entry({ tls: IngressTls.fromSecret('shop-tls') }), 'Gateway').spec.servers;
    expect(on[0].tls).toEqual({ httpsRedirect: true });
    expect(on[1]).toEqual({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-tls' } });
    const off = only(entry({ tls: IngressTls.fromSecret('shop-tls'), httpsRedirect: false }), 'Gateway').spec.servers;
    expect(off[0].tls).toBeUndefined();
    expect(off).toHaveLength(2);
  });

  test('through the Gateway API, no redirect route without the redirect; the route binds to https', () => {
    const objs = entry({ tls: IngressTls.fromSecret('shop-tls'), httpsRedirect: false, api });
    expect(objs.filter((o) => o.kind === 'HTTPRoute').map((o) => o.metadata.name)).toEqual(['svc-ingress']);
    expect(route(objs).parentRefs).toEqual([{ name: 'svc-ingress', namespace: 'istio-system', sectionName: 'https' }]);
    expect(route(entry({ api })).parentRefs[0].sectionName).toBe('http');
  });

  test('httpsRedirect: false without tls is accepted (nothing to redirect)', () => {
    expect(only(entry({ httpsRedirect: false }), 'Gateway').spec.servers).toEqual([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }]);
  });

  test.each([
    ['a dotted name', 'shop.example.com-tls'],
    ['253 characters', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`],
  ])('a Secret name with %s is accepted', (_what, secret) => {
    expect(only(entry({ tls: IngressTls.fromSecret(secret) }), 'Gateway').spec.servers[1].tls.credentialName).toBe(secret);
  });

  test.each([
    ['254 characters', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`],
    ['two dots in a row', 'shop..tls'],
    ['uppercase', 'Shop-TLS'],
  ])('a Secret name with %s is refused', (_what, secret) => {
    expectRefused(() => entry({ tls: IngressTls.fromSecret(secret) }),
      `${PATH}: tls.secretName must name a Secret (a DNS-1123 subdomain): a TLS host without a credential gets no certificate, got ${JSON.stringify(secret)}`);
  });
});

describe('ServiceIngress: the HTTPRoute', () => {
  const split = [{ version: 'v1', weight: 80 }, { version: 'v2', weight: 20 }];

  test('one version: one backend, no weight; the service timeout becomes the request timeout', () => {
    expect(route(entry({ api }, { svc: { timeout: Duration.millis(2500) } })).rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'svc', port: 8080 }], timeouts: { request: '2500ms' } },
    ]);
  });

  test('a mirror without a percent copies every request (percent 100)', () => {
    const rule = route(entry({ api }, { routing: { weights: split, mirrorVersion: 'v2' } })).rules[0];
    expect(rule.filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'svc-v2', port: 8080 }, percent: 100 } }]);
    expect(rule.backendRefs).toEqual([{ name: 'svc-v1', port: 8080, weight: 80 }, { name: 'svc-v2', port: 8080, weight: 20 }]);
  });

  test('a mirror percent is written as given', () => {
    const rule = route(entry({ api }, { routing: { weights: split, mirrorVersion: 'v2', mirrorPercent: 30 } })).rules[0];
    expect(rule.filters[0].requestMirror.percent).toBe(30);
  });

  test.each([
    [0.5, { fraction: { numerator: 5000, denominator: 1000000 } }],
    [0.0001, { fraction: { numerator: 1, denominator: 1000000 } }],
    [99.99, { fraction: { numerator: 999900, denominator: 1000000 } }],
    [0, { percent: 0 }],
    [100, { percent: 100 }],
  ])('a mirror of %d%% is written as %o, not rounded', (mirrorPercent, share) => {
    const objs = entry({ api }, { routing: { weights: split, mirrorVersion: 'v2', mirrorPercent } });
    expect(route(objs).rules[0].filters[0].requestMirror).toEqual({ backendRef: { name: 'svc-v2', port: 8080 }, ...share });
    validated.add(objs);
  });

  test('a regex header route becomes a RegularExpression match; an exact one an Exact match', () => {
    const header = (matchType: HeaderMatchType) => route(entry({ api }, {
      routing: { weights: split, headerRoutes: [{ header: 'x-canary', value: 'yes', matchType, version: 'v2' }] },
    })).rules[0];
    expect(header(HeaderMatchType.REGEX).matches).toEqual([{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'RegularExpression', name: 'x-canary', value: 'yes' }] }]);
    expect(header(HeaderMatchType.EXACT).matches[0].headers[0].type).toBe('Exact');
    expect(header(HeaderMatchType.EXACT).backendRefs).toEqual([{ name: 'svc-v2', port: 8080 }]);
  });

  test('a version at 0 is left out of the backends', () => {
    const rule = route(entry({ api }, { routing: { weights: [{ version: 'v1', weight: 100 }, { version: 'v2', weight: 0 }] } })).rules[0];
    expect(rule.backendRefs).toEqual([{ name: 'svc-v1', port: 8080 }]);
  });
});

describe('ServiceIngress: the gateway\'s identity and the service\'s AuthorizationPolicy', () => {
  test('allowing the root namespace admits the gateway too', () => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', base);
    s.allowCallsFrom(CallerIdentity.namespace('istio-system'));
    new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'] });
    expect(() => synth(c)).not.toThrow();
  });

  test('a Gateway API gateway is named by its own ServiceAccount, <name>-istio', () => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', base);
    s.allowCallsFrom(CallerIdentity.ingressGateway());
    const ing = new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'], api, name: 'edge' });
    expect(ing.gatewayPrincipal).toBe('cluster.local/ns/istio-system/sa/edge-istio');
    expectRefused(() => synth(c),
      `${PATH}: service has an AuthorizationPolicy that does not allow the gateway (cluster.local/ns/istio-system/sa/edge-istio): every request from the edge would get 403, got "test/svc": allow it: svc.allowCallsFrom(CallerIdentity.serviceAccount("istio-system", "edge-istio"))`);
    s.allowCallsFrom(CallerIdentity.serviceAccount('istio-system', 'edge-istio'));
    expect(() => synth(c)).not.toThrow();
  });
});

describe('ServiceIngress: more hosts at the edges of the grammar', () => {
  test.each(['a.b', 'x-y.example.com', '*.a.b', '0.example.com'])('%s is accepted', (host) => {
    expect(route(entry({ hosts: [host], api })).hostnames).toEqual([host]);
  });

  test.each(['Xshop.example.com', 'shop.example.coM', '-shop.example.com', 'shop-.example.com', 'shop.-example.com', 'shop.example.com-', '*.', '**.example.com', 'shop_1.example.com'])(
    '%s is refused', (host) => {
      expectRefused(() => entry({ hosts: [host], api }), `${PATH}: hosts[0] must be a lowercase DNS name with at least one dot`);
    });

  test.each(['/a%41', '/%7e'])('an escape %s is accepted', (prefix) => {
    expect(route(entry({ pathPrefixes: [prefix], api })).rules[0].matches[0].path.value).toBe(prefix);
  });

  test.each(['/a%4', '/a%g1', '/caf\u00e9'])('%s is refused', (prefix) => {
    expectRefused(() => entry({ pathPrefixes: [prefix], api }), `${PATH}: pathPrefixes[0] must be a URL path starting with "/"`);
  });
});

describe('ServiceIngress: what is written besides the routes', () => {
  test('the Istio Gateway selects istioctl\'s ingress gateway pods', () => {
    expect(only(entry(), 'Gateway').spec.selector).toEqual({ istio: 'ingressgateway' });
  });

  test('the redirect route binds to the gateway\'s http listener', () => {
    const objs = entry({ tls: IngressTls.fromSecret('shop-tls'), api });
    expect(only(objs, 'HTTPRoute', 'svc-ingress-redirect').spec).toEqual({
      parentRefs: [{ name: 'svc-ingress', namespace: 'istio-system', sectionName: 'http' }],
      hostnames: ['shop.example.com'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  test.each([
    [IngressApi.ISTIO_GATEWAY, true],
    [IngressApi.GATEWAY_API, false],
  ])('through %s the service records the entry (with a gateway reference: %s)', (which, hasRef) => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', base);
    new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'], pathPrefixes: ['/shop'], api: which, name: 'edge' });
    const [e] = s._entryPoints;
    expect({ name: e.name, hosts: e.hosts, pathPrefixes: e.pathPrefixes, ref: e.gatewayRef?.() }).toEqual({
      name: 'edge', hosts: ['shop.example.com'], pathPrefixes: ['/shop'], ref: hasRef ? 'istio-system/edge' : undefined,
    });
  });
});

describe('ServiceIngress: app-wide checks that must stay quiet', () => {
  test('two entries with hosts of their own synthesize', () => {
    const { chart: c } = chart();
    const a = new MeshedService(c, 'a', base);
    const b = new MeshedService(c, 'b', base);
    new ServiceIngress(c, 'in-a', { service: a, hosts: ['a.example.com'] });
    new ServiceIngress(c, 'in-b', { service: b, hosts: ['b.example.com', '*.c.example.com'], api });
    expect(synth(c).filter((o) => o.kind === 'Gateway')).toHaveLength(2);
  });

  test('one control plane that installs the ingress gateway is enough; a Gateway API entry needs none', () => {
    const make = (gateways: boolean[], which: IngressApi) => () => {
      const { app, chart: c } = chart();
      gateways.forEach((enabled, i) => new TunedControlPlane(new Chart(app, `cp${i}`, { namespace: 'istio-system' }), `istio${i}`, {
        ingressGateway: { enabled }, revision: i === 0 ? undefined : `r${i}`,
      }));
      new ServiceIngress(c, 'in', { service: new MeshedService(c, 'svc', base), hosts: ['shop.example.com'], api: which });
      return app.charts.flatMap((ch) => synth(ch as Chart));
    };
    expect(make([true], IngressApi.ISTIO_GATEWAY)()).not.toHaveLength(0);
    expect(make([false, true], IngressApi.ISTIO_GATEWAY)()).not.toHaveLength(0);
    expect(make([false], IngressApi.GATEWAY_API)()).not.toHaveLength(0);
    expectRefused(make([false], IngressApi.ISTIO_GATEWAY), `${PATH}: api selects the gateway pods labelled istio=ingressgateway, and no TunedControlPlane of the app installs an ingress gateway (cp0/istio0), got "istio-gateway"`);
  });

  test('an Istio Gateway carries a prefix header match; the Gateway API refuses one among exact ones', () => {
    const headerRoutes = [
      { header: 'x-a', value: '1', matchType: HeaderMatchType.EXACT, version: 'v2' },
      { header: 'x-b', value: '2', matchType: HeaderMatchType.PREFIX, version: 'v2' },
    ];
    const routing = { weights: [{ version: 'v1', weight: 100 }], headerRoutes };
    const vs = only(entry({}, { routing }), 'VirtualService');
    expect(vs.spec.http[1].match[0].headers).toEqual({ 'x-b': { prefix: '2' } });
    expectRefused(() => entry({ api }, { routing }), `${PATH}: api cannot carry the prefix header match of test/svc's routing: Gateway API header matches are Exact or RegularExpression, got "gateway-api"`);
  });

  test('an AuthorizationPolicy patched into odd shapes is judged, never crashes', () => {
    for (const patch of [JsonPatch.add('/spec/rules/-', {}), JsonPatch.add('/spec/rules/-', { from: [{}] }), JsonPatch.remove('/spec/rules'), JsonPatch.remove('/spec')]) {
      const { chart: c } = chart();
      const s = new MeshedService(c, 'svc', base);
      s.allowCallsFrom(CallerIdentity.namespace('ops'));
      ApiObject.of(DependencyPolicy.of(s)!.authorizationPolicy!).addJsonPatch(patch);
      new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'] });
      expectRefused(() => synth(c), `${PATH}: service has an AuthorizationPolicy that does not allow the gateway (cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account)`);
    }
  });
});

describe('ServiceIngress edge outputs', () => {
  validated.test('the mirrors above pass the shared strict validator (Gateway API v1.4.1 standard channel)');
});
