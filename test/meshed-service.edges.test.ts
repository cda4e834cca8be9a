// Boundaries of every MeshedService and setRouting check: the last value accepted (and what it
// writes) next to the first value refused (and the whole message: construct path, prop, rule,
// value, fix). Each pair fails when its check is dropped, loosened or tightened by one.
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CallerIdentity, HeaderMatchType, MeshedService, MeshedServiceProps, MeshProtocol, RetryPolicy, ServiceRouting } from '../src';
import { chart, expectRefused, Obj, only, synth } from './util';

const PATH = 'test/svc';
const base: MeshedServiceProps = { image: 'ghcr.io/acme/shop:1.0', port: 8080 };
const INT32_MAX = 2 ** 31 - 1;

/** A MeshedService `svc` in namespace `shop` with `props` over a valid base, synthesized. */
function build(props: Record<string, unknown> = {}, more?: (s: MeshedService, c: Construct) => void): Obj[] {
  const { chart: c } = chart();
  const s = new MeshedService(c, 'svc', { ...base, ...props } as any);
  more?.(s, c);
  return synth(c);
}

const deployment = (objs: Obj[], name = 'svc-v1') => only(objs, 'Deployment', name);
const podSpec = (objs: Obj[], name = 'svc-v1') => deployment(objs, name).spec.template.spec;
const defaultRoute = (objs: Obj[]) => only(objs, 'VirtualService').spec.http.find((r: any) => r.name === 'default');

describe('MeshedService ports: 1 to 65535 (istiod ValidatePort, Kubernetes IsValidPortNum)', () => {
  test.each([1, 65535])('port %d is accepted and written as the containerPort and targetPort', (port) => {
    const objs = build({ port });
    expect(podSpec(objs).containers[0].ports[0].containerPort).toBe(port);
    expect(only(objs, 'Service').spec.ports[0]).toMatchObject({ port, targetPort: port });
  });

  test.each([1, 65535])('servicePort %d is accepted and written as the Service port', (servicePort) => {
    const objs = build({ servicePort });
    expect(only(objs, 'Service').spec.ports[0]).toMatchObject({ port: servicePort, targetPort: 8080 });
  });

  test.each([0, 65536, -1])('port %d is refused', (port) => {
    expectRefused(() => build({ port }),
      `${PATH}: port must be a whole number from 1 to 65535, got ${port}: set port to the port the container listens on`);
  });

  test.each([0, 65536])('servicePort %d is refused', (servicePort) => {
    expectRefused(() => build({ servicePort }),
      `${PATH}: servicePort must be a whole number from 1 to 65535, got ${servicePort}: set servicePort to the port the Service exposes`);
  });
});

describe('MeshedService timeout and retries', () => {
  test('a 1 ms timeout is the shortest accepted, written on the route', () => {
    expect(defaultRoute(build({ timeout: Duration.millis(1) })).timeout).toBe('1ms');
  });

  test('a 0 ms timeout is refused (istiod ValidateDuration: "duration must be greater than 1ms")', () => {
    expectRefused(() => build({ timeout: Duration.millis(0) }),
      `${PATH}: timeout must be at least 1 millisecond (istiod ValidateDuration refuses shorter durations), got "0ms": set timeout to Duration.seconds(...) or leave it unset`);
  });

  test('retries on a TCP service are refused, naming retries (not timeout)', () => {
    expectRefused(() => build({ protocol: MeshProtocol.TCP, retries: RetryPolicy.of({ attempts: 2 }) }),
      `${PATH}: retries applies to HTTP routes only, and the protocol is TCP, got "tcp": remove it, or set protocol to HTTP, HTTP2 or GRPC`);
  });

  test('a timeout on a TCP service is refused, naming timeout', () => {
    expectRefused(() => build({ protocol: MeshProtocol.TCP, timeout: Duration.seconds(1), retries: RetryPolicy.none() }),
      `${PATH}: timeout applies to HTTP routes only, and the protocol is TCP, got "tcp"`);
  });

  test.each([MeshProtocol.HTTP2, MeshProtocol.GRPC])('retries and a timeout on %s are written on the route', (protocol) => {
    const route = defaultRoute(build({ protocol, timeout: Duration.seconds(3), retries: RetryPolicy.of({ attempts: 1 }) }));
    expect(route.timeout).toBe('3s');
    expect(route.retries).toEqual({ attempts: 1 });
  });

  test('a TCP service without timeout or retries gets a tcp route', () => {
    const vs = only(build({ protocol: MeshProtocol.TCP }), 'VirtualService');
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tcp).toEqual([{ route: [{ destination: { host: 'svc.shop.svc.cluster.local' } }] }]);
  });
});

describe('MeshedService serviceAccountName: a DNS-1123 subdomain (apimachinery ValidateServiceAccountName)', () => {
  test.each([
    ['one letter', 'a'],
    ['a label', 'shop-runner'],
    ['dotted labels', 'shop.runner.v1'],
    ['253 characters (the limit)', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`],
  ])('%s is accepted: the pods run as it and no ServiceAccount is written', (_what, name) => {
    const objs = build({ serviceAccountName: name });
    expect(podSpec(objs).serviceAccountName).toBe(name);
    expect(objs.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
  });

  test.each([
    ['uppercase', 'Shop'],
    ['an underscore', 'shop_runner'],
    ['a leading dash', '-shop'],
    ['a trailing dash', 'shop-'],
    ['a leading dot', '.shop'],
    ['a trailing dot', 'shop.'],
    ['two dots in a row', 'shop..runner'],
    ['a label starting with a dash', 'shop.-runner'],
    ['a label ending with a dash', 'shop-.runner'],
    ['empty', ''],
    ['254 characters', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`],
  ])('%s is refused', (_what, name) => {
    expectRefused(() => build({ serviceAccountName: name }),
      `${PATH}: serviceAccountName must be a DNS-1123 subdomain, got ${JSON.stringify(name)}: use the name of an existing ServiceAccount, lowercase`);
  });

  test('a number is refused with the same message', () => {
    expectRefused(() => build({ serviceAccountName: 7 }), `${PATH}: serviceAccountName must be a DNS-1123 subdomain, got 7`);
  });
});

describe('Deployment names `<name>-<version>`: at most 63 characters', () => {
  const name60 = `s${'a'.repeat(59)}`;

  test('63 characters are accepted (first version)', () => {
    const objs = build({ name: name60, version: 'v1' });
    expect(deployment(objs, `${name60}-v1`).metadata.name).toHaveLength(63);
  });

  test('64 characters are refused (first version)', () => {
    expectRefused(() => build({ name: name60, version: 'v12' }),
      `${PATH}: version makes the Deployment name "${name60}-v12" longer than 63 characters, got "v12": shorten the service name or the version`);
  });

  test('63 characters are accepted and 64 refused through addVersion', () => {
    const objs = build({ name: name60 }, (s) => s.addVersion('v2'));
    expect(deployment(objs, `${name60}-v2`).metadata.name).toHaveLength(63);
    // the version's own Service carries the same name
    expect(only(objs, 'Service', `${name60}-v2`)).toBeDefined();
    expectRefused(() => build({ name: name60 }, (s) => s.addVersion('v10')),
      `${PATH}: version makes the Deployment name "${name60}-v10" longer than 63 characters, got "v10"`);
  });
});

describe('addVersion image', () => {
  test('image: undefined (plain JavaScript) means unset: the version runs the service\'s image, as documented', () => {
    const objs = build({}, (s) => s.addVersion('v2', { image: undefined } as any));
    expect(podSpec(objs, 'svc-v2').containers[0].image).toBe(base.image);
  });

  test('a version image of its own is written', () => {
    const objs = build({}, (s) => s.addVersion('v2', { image: 'ghcr.io/acme/shop:2.0' }));
    expect(podSpec(objs, 'svc-v2').containers[0].image).toBe('ghcr.io/acme/shop:2.0');
    expect(podSpec(objs, 'svc-v1').containers[0].image).toBe(base.image);
  });

  test.each([
    ['null', null, 'null'],
    ['empty', '', '""'],
    ['a number', 2, '2'],
  ])('image %s is refused clearly', (_what, image, shown) => {
    expectRefused(() => build({}, (s) => s.addVersion('v2', { image } as any)),
      `${PATH}: image must be a container image reference, got ${shown}: set image to a reference like "ghcr.io/acme/checkout:1.4.2"`);
  });
});

describe('a version that is not deployed', () => {
  test.each([
    ['deploymentOf', (s: MeshedService) => s.deploymentOf('v9')],
    ['replicasOf', (s: MeshedService) => s.replicasOf('v9')],
    ['hostOf', (s: MeshedService) => s.hostOf('v9')],
    ['versionServiceOf', (s: MeshedService) => s.versionServiceOf('v9')],
    ['versionDestinationRuleOf', (s: MeshedService) => s.versionDestinationRuleOf('v9')],
    ['podLabelsOf', (s: MeshedService) => s.podLabelsOf('v9')],
  ])('%s refuses it', (_what, ask) => {
    expectRefused(() => build({}, (s) => ask(s)),
      `${PATH}: version is not deployed by this service (versions: v1), got "v9": add it with addVersion("v9", ...) first`);
  });

  test('deployed versions answer', () => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', base);
    s.addVersion('v2', { replicas: 3 });
    expect(s.replicasOf('v2')).toBe(3);
    expect(s.podLabelsOf('v2')).toEqual({ app: 'svc', version: 'v2' });
    expect(s.hostOf('v2')).toBe('svc-v2.shop.svc.cluster.local');
    expect(s.versionServiceOf('v1')).toBeDefined();
    expect(s.versionDestinationRuleOf('v2')).toBeDefined();
    expect(s.totalReplicas).toBe(5);
    expect(s.endpoints).toBe(5);
    expect(s.maxConnectionsPerProxy).toBe(1024);
    expect(s._entryPoints).toEqual([]);
  });
});

describe('replicas, grace period, securityContext.user, maxInboundConnections: int32 boundaries', () => {
  test('replicas 0 and 2147483647 are accepted', () => {
    expect(deployment(build({ replicas: 0 })).spec.replicas).toBe(0);
    expect(deployment(build({ replicas: INT32_MAX })).spec.replicas).toBe(INT32_MAX);
  });

  test('replicas 2147483648 is refused', () => {
    expectRefused(() => build({ replicas: INT32_MAX + 1 }),
      `${PATH}: replicas must be a whole number from 0 to 2147483647, got 2147483648: set replicas: 2 (the default) or more for availability`);
  });

  test('a grace period of 1 s and of 2147483647 s is accepted', () => {
    expect(podSpec(build({ terminationGracePeriod: Duration.seconds(1) })).terminationGracePeriodSeconds).toBe(1);
    expect(podSpec(build({ terminationGracePeriod: Duration.seconds(INT32_MAX) })).terminationGracePeriodSeconds).toBe(INT32_MAX);
  });

  test.each([
    ['999 ms', Duration.millis(999), '"999ms"'],
    ['0 s', Duration.seconds(0), '"0ms"'],
    ['2147483648 s', Duration.seconds(INT32_MAX + 1), '"2147483648000ms"'],
  ])('a grace period of %s is refused', (_what, d, shown) => {
    expectRefused(() => build({ terminationGracePeriod: d }),
      `${PATH}: terminationGracePeriod must be a whole number of seconds, 1 or more (terminationGracePeriodSeconds), got ${shown}`);
  });

  test.each([0, 1000, 1336, 1338, INT32_MAX])('securityContext.user %d is accepted', (user) => {
    expect(podSpec(build({ securityContext: { user } })).containers[0].securityContext.runAsUser).toBe(user);
  });

  test.each([-1, INT32_MAX + 1])('securityContext.user %d is refused', (user) => {
    expectRefused(() => build({ securityContext: { user } }),
      `${PATH}: securityContext.user must be a whole number from 0 to 2147483647, got ${user}: set user to the app's UID, e.g. 1000`);
  });

  test.each([-1, INT32_MAX + 1])('securityContext.group %d is refused', (group) => {
    expectRefused(() => build({ securityContext: { group } }),
      `${PATH}: securityContext.group must be a whole number from 0 to 2147483647, got ${group}: set group to the app's GID, e.g. 1000`);
  });

  test('securityContext.group 0 and 2147483647 are accepted', () => {
    expect(podSpec(build({ securityContext: { group: 0 } })).containers[0].securityContext.runAsGroup).toBe(0);
    expect(podSpec(build({ securityContext: { group: INT32_MAX } })).containers[0].securityContext.runAsGroup).toBe(INT32_MAX);
  });

  test('maxInboundConnections 1 and 2147483647 are accepted', () => {
    for (const n of [1, INT32_MAX]) {
      const { chart: c } = chart();
      expect(new MeshedService(c, 'svc', { ...base, maxInboundConnections: n }).maxInboundConnections).toBe(n);
    }
  });
});

describe('environment variable names (apimachinery IsEnvVarName)', () => {
  test.each(['A', '_a', '.a', '-a', 'a.b-c_D9'])('%s is accepted', (name) => {
    const env = podSpec(build({ envVariables: { [name]: kplus.EnvValue.fromValue('x') } })).containers[0].env;
    expect(env).toEqual([{ name, value: 'x' }]);
  });

  test.each(['9a', 'a b', 'a=b', ''])('%j is refused', (name) => {
    expectRefused(() => build({ envVariables: { [name]: kplus.EnvValue.fromValue('x') } }),
      `${PATH}: envVariables names must be letters, digits, "-", "." and "_", not starting with a digit (Kubernetes IsEnvVarName), got ${JSON.stringify(name)}`);
  });
});

describe('setRouting', () => {
  /** A service with v1 and v2 (or `protocol`), routed by `owner` (test/owner). */
  function routed(routing: unknown, protocol: MeshProtocol = MeshProtocol.HTTP): Obj[] {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', { ...base, protocol });
    s.addVersion('v2');
    s.setRouting(new Construct(c, 'owner'), routing as ServiceRouting);
    return synth(c);
  }
  const OWNER = 'test/owner';
  const split = [{ version: 'v1', weight: 90 }, { version: 'v2', weight: 10 }];
  const v2 = { host: 'svc-v2.shop.svc.cluster.local' };

  test.each([0, 0.5, 100])('mirrorPercent %d is accepted and written', (mirrorPercent) => {
    const route = defaultRoute(routed({ weights: split, mirrorVersion: 'v2', mirrorPercent }));
    expect(route.mirror).toEqual(v2);
    expect(route.mirrorPercentage).toEqual({ value: mirrorPercent });
  });

  test('a mirror without a percent mirrors every request: 100, what Istio does without mirrorPercentage (route.go MirrorPercent)', () => {
    const route = defaultRoute(routed({ weights: split, mirrorVersion: 'v2' }));
    expect(route.mirror).toEqual(v2);
    expect(route.mirrorPercentage).toEqual({ value: 100 });
  });

  test('no mirror writes none', () => {
    const route = defaultRoute(routed({ weights: split }));
    expect(route.mirror).toBeUndefined();
    expect(route.mirrorPercentage).toBeUndefined();
  });

  test.each([
    [-1, '-1'],
    [150, '150'],
    [100.5, '100.5'],
    [NaN, 'NaN'],
    ['10', '"10"'],
  ])('mirrorPercent %p is refused (istiod: "mirror_percentage must have a max value of 100" / "a min value of 0")', (mirrorPercent, shown) => {
    expectRefused(() => routed({ weights: split, mirrorVersion: 'v2', mirrorPercent }),
      `${OWNER}: mirrorPercent must be a percentage from 0 to 100, got ${shown}: set the share of requests to copy, e.g. 10`);
  });

  test('a mirror on a TCP service is refused', () => {
    expectRefused(() => routed({ weights: split, mirrorVersion: 'v2' }, MeshProtocol.TCP),
      `${OWNER}: mirrorVersion needs HTTP, and ${PATH} is a TCP service (Istio mirrors HTTP routes only), got "v2": drop the mirror, or set the service protocol to HTTP, HTTP2 or GRPC`);
  });

  test('header routes on a TCP service are refused', () => {
    expectRefused(() => routed({ weights: split, headerRoutes: [{ header: 'x-canary', value: 'true', matchType: HeaderMatchType.EXACT, version: 'v2' }] }, MeshProtocol.TCP),
      `${OWNER}: headerRoutes need HTTP, and ${PATH} is a TCP service (TCP has no headers), got ["x-canary"]`);
  });

  test('a TCP service takes weights alone', () => {
    const vs = only(routed({ weights: split, headerRoutes: [] }, MeshProtocol.TCP), 'VirtualService');
    expect(vs.spec.tcp[0].route.map((r: any) => r.weight)).toEqual([90, 10]);
  });

  test('mirrorPercent without mirrorVersion is refused', () => {
    expectRefused(() => routed({ weights: split, mirrorPercent: 10 }),
      `${OWNER}: mirrorPercent has no effect without mirrorVersion, got 10: set mirrorVersion, or remove mirrorPercent`);
  });

  test.each([['empty', '', '""'], ['a number', 2, '2']])('mirrorVersion %s is refused', (_what, mirrorVersion, shown) => {
    expectRefused(() => routed({ weights: split, mirrorVersion }),
      `${OWNER}: mirrorVersion must name a version of the service, got ${shown}: name the version that gets the shadow copy, e.g. "v2"`);
  });

  test.each([
    ['null', null, 'null'],
    ['without a version', { header: 'x-canary', value: 'true', matchType: HeaderMatchType.EXACT }, '{"header":"x-canary","value":"true","matchType":"exact"}'],
    ['with an empty version', { header: 'x-canary', value: 'true', matchType: HeaderMatchType.EXACT, version: '' }, '{"header":"x-canary","value":"true","matchType":"exact","version":""}'],
  ])('a header route %s is refused', (_what, h, shown) => {
    expectRefused(() => routed({ weights: split, headerRoutes: [h] }),
      `${OWNER}: headerRoutes[0] must be { header, value, matchType, version } naming a version, got ${shown}`);
  });

  test('a header route with an unknown matchType is refused', () => {
    expectRefused(() => routed({ weights: split, headerRoutes: [{ header: 'x-canary', value: 'true', matchType: 'suffix', version: 'v2' }] }),
      `${OWNER}: headerRoutes[0].matchType must be one of exact, prefix, regex, got "suffix": use the HeaderMatchType enum`);
  });

  test('headerRoutes that are not a list are refused', () => {
    expectRefused(() => routed({ weights: split, headerRoutes: 'x-canary' }), `${OWNER}: headerRoutes must be a list of header routes, got "x-canary"`);
  });

  test.each([
    ['prefix', HeaderMatchType.PREFIX],
    ['regex', HeaderMatchType.REGEX],
    ['exact', HeaderMatchType.EXACT],
  ])('a %s header route is written with its match type', (_what, matchType) => {
    const vs = only(routed({ weights: split, headerRoutes: [{ header: 'x-canary', value: 'true', matchType, version: 'v2' }] }), 'VirtualService');
    expect(vs.spec.http[0]).toEqual({ name: 'v2-by-header', match: [{ headers: { 'x-canary': { [matchType]: 'true' } } }], route: [{ destination: v2 }] });
  });

  test('a prefix header route is checked as a prefix (an invalid regex is fine there), a regex one as a regex', () => {
    expect(() => routed({ weights: split, headerRoutes: [{ header: 'x-canary', value: '(', matchType: HeaderMatchType.PREFIX, version: 'v2' }] })).not.toThrow();
    expectRefused(() => routed({ weights: split, headerRoutes: [{ header: 'x-canary', value: '(', matchType: HeaderMatchType.REGEX, version: 'v2' }] }),
      `${OWNER}: headerRoutes[0].pattern`);
  });

  test.each([
    ['0 and 100', [{ version: 'v1', weight: 0 }, { version: 'v2', weight: 100 }], [{ destination: v2 }]],
    ['100 and 0', [{ version: 'v1', weight: 100 }, { version: 'v2', weight: 0 }], [{ destination: { host: 'svc-v1.shop.svc.cluster.local' } }]],
  ])('weights %s are accepted; the version at 0 is left out', (_what, weights, route) => {
    expect(defaultRoute(routed({ weights })).route).toEqual(route);
  });

  test.each([
    ['-1 and 101', [{ version: 'v1', weight: -1 }, { version: 'v2', weight: 101 }], 'v1=-1, v2=101', 'v1 has -1'],
    ['101 and -1', [{ version: 'v1', weight: 101 }, { version: 'v2', weight: -1 }], 'v1=101, v2=-1', 'v1 has 101'],
  ])('weights %s are refused', (_what, weights, shown, which) => {
    expectRefused(() => routed({ weights }),
      `${OWNER}: weights must be whole percentages from 0 to 100 (${which}), got "${shown}": give each version a whole percentage of ordinary traffic`);
  });

  test.each([
    ['99', [{ version: 'v1', weight: 89 }, { version: 'v2', weight: 10 }], 'v1=89, v2=10', 99],
    ['101', [{ version: 'v1', weight: 91 }, { version: 'v2', weight: 10 }], 'v1=91, v2=10', 101],
  ])('weights summing to %s are refused', (_what, weights, shown, total) => {
    expectRefused(() => routed({ weights }), `${OWNER}: weights must sum to 100 (they sum to ${total}), got "${shown}"`);
  });

  test.each([
    ['null routing', null, 'routing must be a ServiceRouting object, got null'],
    ['weights not a list', { weights: { v1: 100 } }, 'weights must be a list of { version, weight }, got {"v1":100}'],
    ['a weight without a version', { weights: [{ weight: 100 }] }, 'weights must each be { version, weight } with a version label, got {"weight":100}'],
    ['a weight with an empty version', { weights: [{ version: '', weight: 100 }] }, 'weights must each be { version, weight } with a version label, got {"version":"","weight":100}'],
    ['a null weight', { weights: [null] }, 'weights must each be { version, weight } with a version label, got null'],
  ])('%s is refused', (_what, routing, message) => {
    expectRefused(() => routed(routing), `${OWNER}: ${message}`);
  });

  test('a second owner is refused; the same owner may set it again', () => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', base);
    s.addVersion('v2');
    const owner = new Construct(c, 'owner');
    s.setRouting(owner, { weights: split });
    s.setRouting(owner, { weights: [{ version: 'v1', weight: 50 }, { version: 'v2', weight: 50 }] });
    expect(s.routingOwner).toBe(owner);
    expect(defaultRoute(synth(c)).route.map((r: any) => r.weight)).toEqual([50, 50]);
    expectRefused(() => s.setRouting(new Construct(c, 'other'), { weights: split }),
      `test/other: service already has its routing set by ${OWNER}: two releases on one service would fight over its single VirtualService, got "${PATH}"`);
  });

  test('the primary version is the largest share, the stable one on a tie', () => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', base);
    s.addVersion('v2');
    const owner = new Construct(c, 'owner');
    s.setRouting(owner, { weights: [{ version: 'v2', weight: 50 }, { version: 'v1', weight: 50 }] });
    expect(s.primaryVersion).toBe('v1');
    s.setRouting(owner, { weights: [{ version: 'v1', weight: 49 }, { version: 'v2', weight: 51 }] });
    expect(s.primaryVersion).toBe('v2');
    expect(only(synth(c), 'Service', 'svc').spec.selector).toEqual({ app: 'svc', version: 'v2' });
  });
});

describe('talksTo demand, by the callee port\'s protocol', () => {
  /** `a` calls `b` (speaking `protocol`) with `options`; returns the declared dependency. */
  function call(protocol: MeshProtocol, options: Record<string, unknown>) {
    const { chart: c } = chart();
    const a = new MeshedService(c, 'a', base);
    const b = new MeshedService(c, 'b', { ...base, protocol });
    a.talksTo(b, options);
    return a.dependencies[0];
  }
  const AT = 'test/a';

  test.each([
    [MeshProtocol.TCP, { connections: 1 }],
    [MeshProtocol.TCP, { connections: INT32_MAX }],
    [MeshProtocol.HTTP, { concurrentRequests: 1 }],
    [MeshProtocol.HTTP2, { concurrentRequests: INT32_MAX, streamsPerConnection: 1 }],
    [MeshProtocol.GRPC, { streamsPerConnection: INT32_MAX }],
  ])('a %s callee takes %o', (protocol, options) => {
    expect(call(protocol, options)).toMatchObject(options);
  });

  test.each([
    [MeshProtocol.HTTP, 'HTTP/1.1'],
    [MeshProtocol.HTTP2, 'HTTP/2'],
    [MeshProtocol.GRPC, 'HTTP/2'],
  ])('connections to a %s callee are refused', (protocol, shown) => {
    expectRefused(() => call(protocol, { connections: 5 }),
      `${AT}: talksTo connections is for TCP callees, and b.shop.svc.cluster.local port 8080 is ${shown}: the proxy opens connections per request, not per app connection, got 5: declare concurrentRequests (peak in-flight requests per replica) instead`);
  });

  test.each([
    ['concurrentRequests', { concurrentRequests: 5 }],
    ['streamsPerConnection', { streamsPerConnection: 5 }],
    ['concurrentRequests', { concurrentRequests: 5, streamsPerConnection: 7 }],
  ])('%s to a TCP callee is refused', (prop, options) => {
    expectRefused(() => call(MeshProtocol.TCP, options),
      `${AT}: talksTo ${prop} is for HTTP callees, and b.shop.svc.cluster.local port 8080 is TCP: the proxy opens one upstream connection per connection the app opens, got 5: declare connections (the app's pool size per replica) instead`);
  });

  test('streamsPerConnection to an HTTP/1.1 callee is refused', () => {
    expectRefused(() => call(MeshProtocol.HTTP, { streamsPerConnection: 5 }),
      `${AT}: talksTo streamsPerConnection is for HTTP/2 and gRPC callees, and b.shop.svc.cluster.local port 8080 is HTTP/1.1 (one request per connection at a time), got 5: drop streamsPerConnection; declare concurrentRequests`);
  });

  test.each([
    ['connections', MeshProtocol.TCP, 'the connections each replica\'s app opens to the callee (its pool size)'],
    ['concurrentRequests', MeshProtocol.HTTP, 'the peak requests each replica has in flight to the callee'],
    ['streamsPerConnection', MeshProtocol.GRPC, 'the concurrent streams the callee accepts per connection'],
  ])('%s of 0 and of 2147483648 are refused', (prop, protocol, fix) => {
    for (const n of [0, INT32_MAX + 1]) {
      expectRefused(() => call(protocol, { [prop]: n }), `${AT}: talksTo ${prop} must be a whole number from 1 to 2147483647, got ${n}: set ${fix}`);
    }
  });
});

describe('versions a routing names must be deployed (checked at synth)', () => {
  function routedTo(routing: ServiceRouting): () => Obj[] {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', base);
    s.setRouting(new Construct(c, 'owner'), routing);
    return () => synth(c);
  }

  test('a header route to a version not deployed names headerRoutes[i].version', () => {
    expectRefused(routedTo({ weights: [{ version: 'v1', weight: 100 }], headerRoutes: [{ header: 'x-canary', value: 'true', matchType: HeaderMatchType.EXACT, version: 'v2' }] }),
      'test/owner: headerRoutes[0].version is not deployed by any Deployment of test/svc (versions: v1), got "v2": add it with service.addVersion("v2", { image: ... }) or name one of the deployed versions');
  });

  test('a mirror to a version not deployed names mirrorVersion', () => {
    expectRefused(routedTo({ weights: [{ version: 'v1', weight: 100 }], mirrorVersion: 'v3' }),
      'test/owner: mirrorVersion is not deployed by any Deployment of test/svc (versions: v1), got "v3"');
  });

  test('a version named twice is reported once', () => {
    let message = '';
    try {
      routedTo({ weights: [{ version: 'v1', weight: 0 }, { version: 'v2', weight: 100 }], mirrorVersion: 'v2' })();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/is not deployed/g)).toHaveLength(1);
    expect(message).toContain('test/owner: weights is not deployed by any Deployment of test/svc (versions: v1), got "v2"');
  });

  test('a routing of deployed versions synthesizes', () => {
    expect(routedTo({ weights: [{ version: 'v1', weight: 100 }] })().length).toBeGreaterThan(0);
  });
});

describe('what the graph reads from a service, with one and with two versions', () => {
  test('endpoints and clusters', () => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', { ...base, replicas: 3 });
    expect(s.outboundEndpoints).toBe(3);
    expect(s.outboundClusters).toBe(1);
    expect(s.upstreamClustersOf(8080)).toEqual([{ name: 'outbound|8080||svc.shop.svc.cluster.local', endpoints: 3, maxConnections: 1024 }]);
    s.addVersion('v2', { replicas: 2 });
    // the host's cluster holds the primary version's pods, and each version's Service is a cluster of its own
    expect(s.outboundEndpoints).toBe(3 + 5);
    expect(s.outboundClusters).toBe(3);
    expect(s.upstreamClustersOf(8080).map((u) => [u.name, u.endpoints])).toEqual([
      ['outbound|8080||svc-v1.shop.svc.cluster.local', 3],
      ['outbound|8080||svc-v2.shop.svc.cluster.local', 2],
    ]);
    expect(s.versionHosts).toEqual(['svc-v1.shop.svc.cluster.local', 'svc-v2.shop.svc.cluster.local']);
  });

  test('without a namespace, version hosts are bare names', () => {
    const c = new Chart(Testing.app(), 'test');
    const s = new MeshedService(c, 'svc', base);
    expect(s.hostOf('v1')).toBe('svc');
    expect(s.versionHosts).toEqual([]);
    s.addVersion('v2');
    expect(s.hostOf('v2')).toBe('svc-v2');
  });

  test('allowed callers: none until allowCallsFrom', () => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', base);
    expect(s.allowedCallers).toEqual([]);
    s.allowCallsFrom(CallerIdentity.namespace('ops'));
    expect(s.allowedCallers).toHaveLength(1);
  });
});

describe('container resources in the wrong shape (plain JavaScript)', () => {
  test.each([
    ['cpu', { cpu: '250m' }, '"250m"', 'pass { request: Cpu.millis(250), limit: Cpu.units(1) }'],
    ['memory', { memory: 512 }, '512', 'pass { request: Size.mebibytes(256), limit: Size.mebibytes(512) }'],
  ])('resources.%s that is no object is refused', (key, resources, shown, fix) => {
    expectRefused(() => build({ resources }), `${PATH}: resources.${key} must be an object, got ${shown}: ${fix}`);
  });

  test('resources with a request and a limit are written', () => {
    const objs = build({ resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(250) } } });
    expect(podSpec(objs).containers[0].resources.requests.cpu).toBe('250m');
  });
});
