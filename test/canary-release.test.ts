import { ApiObject, Chart, Duration, JsonPatch } from 'cdk8s';
import { CanaryRelease, CanaryReleaseProps, HeaderMatch, HeaderMatchType, IstioApiVersion, MeshedService, MeshProtocol, RetryPolicy } from '../src';
import { all, chart, expectMeshError, Obj, only, synth, testValidated, validateWithShared } from './util';

const HOST = 'checkout.shop.svc.cluster.local';
/** A version's own Service: where the VirtualService sends its share. */
const to = (version: string) => ({ host: `checkout-${version}.shop.svc.cluster.local` });

/** checkout v2 (3 replicas) and v3 (1 replica), with a timeout and retries to carry over. */
function service(c: Chart, extra: { protocol?: MeshProtocol; istioApiVersion?: IstioApiVersion; canaryReplicas?: number } = {}): MeshedService {
  const svc = new MeshedService(c, 'checkout', {
    image: 'ghcr.io/acme/checkout:2.4.1',
    port: 8080,
    version: 'v2',
    replicas: 3,
    protocol: extra.protocol,
    istioApiVersion: extra.istioApiVersion,
    timeout: extra.protocol === MeshProtocol.TCP ? undefined : Duration.seconds(5),
    retries: extra.protocol === MeshProtocol.TCP ? undefined : RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(2) }),
  });
  svc.addVersion('v3', { image: 'ghcr.io/acme/checkout:3.0.0', replicas: extra.canaryReplicas ?? 1 });
  return svc;
}

/** A chart with the service and a canary of v3 over v2. */
function release(props: Partial<CanaryReleaseProps> = {}, extra: Parameters<typeof service>[1] = {}) {
  const { chart: c } = chart();
  const svc = service(c, extra);
  const canary = new CanaryRelease(c, 'canary', { service: svc, stableVersion: 'v2', canaryVersion: 'v3', ...props });
  return { c, svc, canary };
}

const istio = (objs: Obj[]) => [...all(objs, 'DestinationRule'), only(objs, 'VirtualService'), ...all(objs, 'Service')];
const common = { timeout: '5s', retries: { attempts: 2, perTryTimeout: '2s' } };

describe('CanaryRelease', () => {
  test('the seed: stable v2 90%, canary v3 10%, x-canary: true to v3, on the service\'s single VirtualService', () => {
    const { c, svc, canary } = release({ canaryWeight: 10, headerOverride: HeaderMatch.exact('x-canary', 'true') });
    const objs = synth(c);

    // no object of its own: one VirtualService for the host, one DestinationRule per host (the host's and each version's)
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/checkout-v2', 'Deployment/checkout-v3',
      'DestinationRule/checkout', 'DestinationRule/checkout-v2', 'DestinationRule/checkout-v3',
      'PodDisruptionBudget/checkout-v2', // the MeshedService's, for the 3-replica stable version; the 1-replica canary gets none
      'Service/checkout', 'Service/checkout-v2', 'Service/checkout-v3', 'ServiceAccount/checkout', 'VirtualService/checkout',
    ]);
    expect(canary.node.children).toHaveLength(0);
    expect(svc.routingOwner).toBe(canary);

    const vs = only(objs, 'VirtualService');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.spec.hosts).toEqual([HOST]);
    // the header route first, then the weighted route; the service's timeout and retries on both
    expect(vs.spec.http).toEqual([
      { name: 'v3-by-header', match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: to('v3') }], ...common },
      { name: 'default', route: [{ destination: to('v2'), weight: 90 }, { destination: to('v3'), weight: 10 }], ...common },
    ]);
    const weights = vs.spec.http[1].route.map((r: any) => r.weight);
    expect(weights.reduce((a: number, b: number) => a + b, 0)).toBe(100);

    // each version's Service selects exactly its Deployment's pods; the host's Service the stable (primary) version's
    for (const v of ['v2', 'v3']) {
      const selector = only(objs, 'Service', `checkout-${v}`).spec.selector;
      expect(selector).toEqual({ app: 'checkout', version: v });
      expect(only(objs, 'Deployment', `checkout-${v}`).spec.template.metadata.labels).toMatchObject(selector);
    }
    expect(only(objs, 'Service', 'checkout').spec.selector).toEqual({ app: 'checkout', version: 'v2' });
    expect(canary.canaryWeight).toBe(10);
    expect(canary.stableWeight).toBe(90);
    expect(istio(objs)).toMatchSnapshot();
  });

  test('defaults: the service\'s first version as stable, weight 0 (dark launch), x-canary: true', () => {
    const { chart: c } = chart();
    const svc = service(c);
    const canary = new CanaryRelease(c, 'canary', { service: svc, canaryVersion: 'v3' });
    const vs = only(synth(c), 'VirtualService');
    expect(canary.stableVersion).toBe('v2');
    expect(canary.canaryWeight).toBe(0);
    expect(canary.headerOverride.matchType).toBe(HeaderMatchType.EXACT);
    expect(canary.headerOverride.header).toBe('x-canary');
    expect(canary.headerOverride.value).toBe('true');
    expect(vs.spec.http).toEqual([
      { name: 'v3-by-header', match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: to('v3') }], ...common },
      { name: 'default', route: [{ destination: to('v2') }], ...common },
    ]);
  });

  test('promotion (100): one route, one destination, no weight, no header route', () => {
    const { c, canary } = release({ canaryWeight: 100 });
    const objs = synth(c);
    const vs = only(objs, 'VirtualService');
    expect(vs.spec.http).toEqual([{ name: 'default', route: [{ destination: to('v3') }], ...common }]);
    expect(JSON.stringify(vs)).not.toMatch(/weight|x-canary|"v2"/);
    expect(canary.stableWeight).toBe(0);
    // v2's Service stays, ready for a rollback; the host's Service follows v3 now
    expect(all(objs, 'Service').map((o) => o.metadata.name)).toEqual(['checkout', 'checkout-v2', 'checkout-v3']);
    expect(only(objs, 'Service', 'checkout').spec.selector).toEqual({ app: 'checkout', version: 'v3' });
    expect(istio(objs)).toMatchSnapshot();
  });

  test('rollback (0): ordinary traffic to v2 only, and testers still reach v3 with the header', () => {
    const { c } = release({ canaryWeight: 0 });
    const objs = synth(c);
    const vs = only(objs, 'VirtualService');
    expect(vs.spec.http).toEqual([
      { name: 'v3-by-header', match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: to('v3') }], ...common },
      { name: 'default', route: [{ destination: to('v2') }], ...common },
    ]);
    expect(JSON.stringify(vs)).not.toMatch(/weight/);
    expect(istio(objs)).toMatchSnapshot();
  });

  test('no override: HeaderMatch.none() writes only the weighted route', () => {
    const { c, canary } = release({ canaryWeight: 25, headerOverride: HeaderMatch.none() });
    const objs = synth(c);
    const vs = only(objs, 'VirtualService');
    expect(canary.headerOverride.isNone).toBe(true);
    expect(vs.spec.http).toEqual([
      { name: 'default', route: [{ destination: to('v2'), weight: 75 }, { destination: to('v3'), weight: 25 }], ...common },
    ]);
    expect(JSON.stringify(vs)).not.toMatch(/match|headers/);
    expect(istio(objs)).toMatchSnapshot();
  });

  test('prefix and (opted-in) regex header matches', () => {
    const prefix = only(synth(release({ canaryWeight: 5, headerOverride: HeaderMatch.prefix('user-agent', 'qa-bot/') }).c), 'VirtualService');
    expect(prefix.spec.http[0].match).toEqual([{ headers: { 'user-agent': { prefix: 'qa-bot/' } } }]);
    const regex = only(synth(release({ canaryWeight: 5, headerOverride: HeaderMatch.regex('x-tester', '(?i)(alice|bob)') }).c), 'VirtualService');
    expect(regex.spec.http[0].match).toEqual([{ headers: { 'x-tester': { regex: '(?i)(alice|bob)' } } }]);
  });

  test('mirror: a shadow copy of stable traffic to the canary', () => {
    const { c, canary } = release({ canaryWeight: 0, mirrorPercent: 20 });
    const objs = synth(c);
    const vs = only(objs, 'VirtualService');
    expect(canary.mirrorPercent).toBe(20);
    expect(vs.spec.http[1]).toEqual({
      name: 'default',
      route: [{ destination: to('v2') }],
      mirror: to('v3'),
      mirrorPercentage: { value: 20 },
      ...common,
    });
    // the header route is not mirrored: it goes to the canary already
    expect(vs.spec.http[0].mirror).toBeUndefined();
    expect(istio(objs)).toMatchSnapshot();
  });

  test('mirror with a fractional percent alongside a weight; 0 writes no mirror', () => {
    const vs = only(synth(release({ canaryWeight: 10, mirrorPercent: 0.5 }).c), 'VirtualService');
    expect(vs.spec.http[1].mirrorPercentage).toEqual({ value: 0.5 });
    const none = only(synth(release({ canaryWeight: 10, mirrorPercent: 0 }).c), 'VirtualService');
    expect(JSON.stringify(none)).not.toMatch(/mirror/);
  });

  test('a step plan: currentStep picks the weight, counted from 1; 0 is not started', () => {
    const steps = [1, 5, 25, 50, 100];
    const weightAt = (currentStep: number) => {
      const { c, canary } = release({ steps, currentStep });
      const vs = only(synth(c), 'VirtualService');
      return { canary, vs };
    };
    const { canary, vs } = weightAt(3);
    expect(canary.canaryWeight).toBe(25);
    expect(canary.currentStep).toBe(3);
    expect(canary.steps).toEqual(steps);
    canary.steps!.push(7); // a copy
    expect(canary.steps).toEqual(steps);
    expect(vs.spec.http[1].route).toEqual([{ destination: to('v2'), weight: 75 }, { destination: to('v3'), weight: 25 }]);
    expect(weightAt(1).canary.canaryWeight).toBe(1);
    // step 0 is the rollback YAML, the last step the promotion YAML
    expect(weightAt(0).vs.spec).toEqual(only(synth(release({ canaryWeight: 0 }).c), 'VirtualService').spec);
    expect(weightAt(5).vs.spec).toEqual(only(synth(release({ canaryWeight: 100 }).c), 'VirtualService').spec);
    expect(vs).toMatchSnapshot();
  });

  test('a plan may stop short of 100', () => {
    const { canary } = release({ steps: [10, 20], currentStep: 2 });
    expect(canary.canaryWeight).toBe(20);
  });

  test('V1BETA1: networking.istio.io/v1beta1 with the same spec', () => {
    const beta = synth(release({ canaryWeight: 10 }, { istioApiVersion: IstioApiVersion.V1BETA1 }).c);
    const v1 = synth(release({ canaryWeight: 10 }).c);
    for (const kind of ['VirtualService', 'DestinationRule']) {
      expect(all(beta, kind).map((o) => o.apiVersion)).toEqual(all(beta, kind).map(() => 'networking.istio.io/v1beta1'));
      expect(all(beta, kind).map((o) => o.spec)).toEqual(all(v1, kind).map((o) => o.spec));
    }
    expect(only(beta, 'VirtualService').spec.http[1].route.map((r: any) => r.weight)).toEqual([90, 10]);
    expect(istio(beta)).toMatchSnapshot();
  });

  test('TCP services: a weighted tcp route and no header route by default', () => {
    const { c, canary } = release({ canaryWeight: 30 }, { protocol: MeshProtocol.TCP });
    const vs = only(synth(c), 'VirtualService');
    expect(canary.headerOverride.isNone).toBe(true);
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tcp).toEqual([{ route: [{ destination: to('v2'), weight: 70 }, { destination: to('v3'), weight: 30 }] }]);
  });

  test('the stable version need not be the service\'s first; other versions keep their Services and get no traffic', () => {
    const { chart: c } = chart();
    const svc = new MeshedService(c, 'checkout', { image: 'acme/checkout:1', port: 8080, version: 'v1' });
    svc.addVersion('v2');
    svc.addVersion('v3');
    new CanaryRelease(c, 'canary', { service: svc, stableVersion: 'v2', canaryVersion: 'v3', canaryWeight: 50, headerOverride: HeaderMatch.none() });
    const objs = synth(c);
    expect(all(objs, 'Service').map((o) => o.metadata.name)).toEqual(['checkout', 'checkout-v1', 'checkout-v2', 'checkout-v3']);
    // 50/50: the host's Service stays on the stable version
    expect(only(objs, 'Service', 'checkout').spec.selector).toEqual({ app: 'checkout', version: 'v2' });
    expect(only(objs, 'VirtualService').spec.http).toEqual([
      { name: 'default', route: [{ destination: to('v2'), weight: 50 }, { destination: to('v3'), weight: 50 }] },
    ]);
  });

  test('the canary version may be added after the release (checked at synth)', () => {
    const { chart: c } = chart();
    const svc = new MeshedService(c, 'checkout', { image: 'acme/checkout:2', port: 8080, version: 'v2' });
    new CanaryRelease(c, 'canary', { service: svc, canaryVersion: 'v3', canaryWeight: 10 });
    svc.addVersion('v3');
    expect(all(synth(c), 'Deployment')).toHaveLength(2);
  });

  test('a JSON patch that keeps a version\'s Service selecting its pods is accepted', () => {
    const { c, svc } = release({ canaryWeight: 10 });
    ApiObject.of(svc.versionServiceOf('v3')!).addJsonPatch(JsonPatch.add('/spec/selector/track', 'canary'));
    ApiObject.of(svc.deploymentOf('v3')).addJsonPatch(JsonPatch.add('/spec/template/metadata/labels/track', 'canary'));
    expect(only(synth(c), 'Service', 'checkout-v3').spec.selector).toEqual({ app: 'checkout', version: 'v3', track: 'canary' });
  });

  testValidated('every scenario passes the shared strict validator (Istio 1.22 and 1.30 schemas)', () => {
    const outputs = [
      release({ canaryWeight: 10, headerOverride: HeaderMatch.exact('x-canary', 'true') }),
      release({ canaryWeight: 100 }),
      release({ canaryWeight: 0 }),
      release({ canaryWeight: 25, headerOverride: HeaderMatch.none() }),
      release({ canaryWeight: 0, mirrorPercent: 20 }),
      release({ canaryWeight: 10, mirrorPercent: 0.5, headerOverride: HeaderMatch.prefix('user-agent', 'qa-bot/') }),
      release({ headerOverride: HeaderMatch.regex('x-tester', '(?P<who>alice|bob)-[0-9]+') }),
      release({ steps: [1, 5, 25, 50, 100], currentStep: 3 }),
      release({ canaryWeight: 10 }, { istioApiVersion: IstioApiVersion.V1BETA1 }),
      release({ canaryWeight: 30 }, { protocol: MeshProtocol.TCP }),
    ].map((r) => synth(r.c));
    expect(validateWithShared(outputs)).toEqual([]);
  });

  test('output is deterministic', () => {
    const build = () => JSON.stringify(synth(release({ canaryWeight: 10, mirrorPercent: 5 }).c));
    expect(build()).toEqual(build());
  });

  describe('checks', () => {
    const at = 'test/canary';
    const make = (props: Partial<CanaryReleaseProps>, extra: Parameters<typeof service>[1] = {}) => () => synth(release(props, extra).c);

    // versions
    test('fails when the canary version is not deployed by the service', () => {
      const { chart: c } = chart();
      const svc = service(c);
      new CanaryRelease(c, 'canary', { service: svc, canaryVersion: 'v4', canaryWeight: 10 });
      // reported once, by the service, for the routing this release set
      expectMeshError(() => synth(c), at, /test\/canary: canaryVersion is not deployed by any Deployment of test\/checkout \(versions: v2, v3\), got "v4": add it with service.addVersion\("v4"/);
    });
    test('fails when the stable version is not deployed by the service', () =>
      expectMeshError(make({ stableVersion: 'v1', canaryWeight: 10 }), at, /stableVersion is not deployed by any Deployment of test\/checkout.*got "v1"/));
    test('fails when a JSON patch makes the canary\'s Service select no pods (IST0173)', () => {
      const { c, svc } = release({ canaryWeight: 10 });
      ApiObject.of(svc.versionServiceOf('v3')!).addJsonPatch(JsonPatch.replace('/spec/selector/version', 'v3-typo'));
      expectMeshError(() => synth(c), at, /canaryVersion has selector \{"app":"checkout","version":"v3-typo"\} on its Service checkout-v3 that does not select the pods of Deployment checkout-v3 \(version is "v3-typo" in the selector, "v3" on the pods\), so it would get no traffic \(IST0173\), got "v3": make the selector match/);
    });
    test('fails when a JSON patch changes the canary pod labels so its Service no longer selects them (IST0173)', () => {
      const { c, svc } = release({ canaryWeight: 10 });
      ApiObject.of(svc.deploymentOf('v3')).addJsonPatch(JsonPatch.replace('/spec/template/metadata/labels/version', 'canary'));
      expectMeshError(() => synth(c), at, /canaryVersion has selector .* that does not select the pods of Deployment checkout-v3 \(version is "v3" in the selector, "canary" on the pods\), so it would get no traffic \(IST0173\)/);
    });
    test('fails when a JSON patch sends a route to a host that is no version\'s Service (IST0101)', () => {
      const { c, svc } = release({ canaryWeight: 10 });
      ApiObject.of(svc.virtualService).addJsonPatch(JsonPatch.replace('/spec/http/1/route/0/destination/host', 'checkout.shop.svc.cluster.local'));
      expectMeshError(() => synth(c), at, /service routes the weighted route to host "checkout\.shop\.svc\.cluster\.local", which is none of its versions' Services/);
    });
    test('fails when a JSON patch makes the canary\'s Service select the stable pods too', () => {
      const { c, svc } = release({ canaryWeight: 10 });
      ApiObject.of(svc.versionServiceOf('v3')!).addJsonPatch(JsonPatch.remove('/spec/selector/version'));
      expectMeshError(() => synth(c), at, /canaryVersion has selector \{"app":"checkout"\} on its Service checkout-v3 that also selects the pods of Deployment checkout-v2, so its share would reach "v2" too/);
    });
    test('fails when a JSON patch widens the host\'s Service to every version (clients that bypass the VirtualService would reach the canary)', () => {
      const { c, svc } = release({ canaryWeight: 10 });
      ApiObject.of(svc.service).addJsonPatch(JsonPatch.remove('/spec/selector/version'));
      expectMeshError(() => synth(c), at, /service has a Service checkout whose selector \{"app":"checkout"\} reaches version\(s\) v2, v3, while the split gives the most traffic to "v2": clients that bypass the VirtualService/);
    });
    test('fails when a version that receives traffic has 0 replicas', () =>
      expectMeshError(make({ canaryWeight: 10 }, { canaryReplicas: 0 }), at, /canaryVersion receives traffic through the weighted route, but Deployment checkout-v3 has 0 replicas.*503 UH/));
    test('fails when the header override reaches a canary scaled to 0 during rollback', () =>
      expectMeshError(make({ canaryWeight: 0 }, { canaryReplicas: 0 }), at, /canaryVersion receives traffic through the header override, but Deployment checkout-v3 has 0 replicas.*set headerOverride: HeaderMatch.none\(\)/));
    test('a canary scaled to 0 with no override and no weight is fine', () => {
      expect(() => synth(release({ canaryWeight: 0, headerOverride: HeaderMatch.none() }, { canaryReplicas: 0 }).c)).not.toThrow();
    });
    test('fails when stable and canary are the same version', () =>
      expectMeshError(() => release({ stableVersion: 'v3', canaryWeight: 10 }), at, /canaryVersion must differ from the stable version \("v3"\).*got "v3"/));
    test('fails when the default stable version is named as the canary', () => {
      const { chart: c } = chart();
      const svc = service(c);
      expectMeshError(() => new CanaryRelease(c, 'canary', { service: svc, canaryVersion: 'v2' }), at, /canaryVersion must differ from the stable version \("v2"\)/);
    });
    test('fails when the canary version is empty', () => expectMeshError(() => release({ canaryVersion: '' }), at, /canaryVersion must name a version of the service, got ""/));

    // weights
    test('fails when the weight is above 100', () => expectMeshError(() => release({ canaryWeight: 120 }), at, /canaryWeight must be a whole number from 0 to 100, got 120: set the percent of ordinary traffic/));
    test('fails when the weight is negative', () => expectMeshError(() => release({ canaryWeight: -1 }), at, /canaryWeight must be a whole number from 0 to 100, got -1/));
    test('fails when the weight is not an integer', () => expectMeshError(() => release({ canaryWeight: 12.5 }), at, /canaryWeight must be a whole number from 0 to 100, got 12.5/));
    test('fails when the weight is NaN', () => expectMeshError(() => release({ canaryWeight: NaN }), at, /canaryWeight must be a whole number from 0 to 100, got NaN/));
    test('fails when the weights of a route do not sum to 100', () => {
      const { chart: c } = chart();
      const svc = service(c);
      expectMeshError(() => svc.setRouting(c, { weights: [{ version: 'v2', weight: 50 }, { version: 'v3', weight: 40 }] }),
        'test', /test: weights must sum to 100 \(they sum to 90\), got "v2=50, v3=40"/);
      expectMeshError(() => svc.setRouting(c, { weights: [] }), 'test', /weights must sum to 100 \(they sum to 0\), got "no weights"/);
    });
    test('fails when a route weight is not a whole percent', () => {
      const { chart: c } = chart();
      const svc = service(c);
      expectMeshError(() => svc.setRouting(c, { weights: [{ version: 'v2', weight: 99.5 }, { version: 'v3', weight: 0.5 }] }),
        'test', /weights must be whole percentages from 0 to 100 \(v2 has 99.5\)/);
    });
    test('fails when a route names a version twice', () => {
      const { chart: c } = chart();
      const svc = service(c);
      expectMeshError(() => svc.setRouting(c, { weights: [{ version: 'v2', weight: 50 }, { version: 'v2', weight: 50 }] }), 'test', /weights name version "v2" twice/);
    });

    // setRouting checks what CanaryRelease checks, whoever calls it
    test('fails when setRouting names a version no Deployment provides (503 at run time)', () => {
      const { chart: c } = chart();
      const svc = service(c);
      svc.setRouting(c, { weights: [{ version: 'v2', weight: 90 }, { version: 'v9', weight: 10 }] });
      expectMeshError(() => synth(c), 'test', /test: weights is not deployed by any Deployment of test\/checkout \(versions: v2, v3\), got "v9"/);
    });
    test('fails when setRouting is given a header route CanaryRelease would refuse', () => {
      const { chart: c } = chart();
      const svc = service(c);
      const weights = [{ version: 'v2', weight: 100 }];
      expectMeshError(() => svc.setRouting(c, { weights, headerRoutes: [{ header: 'X-Canary', value: 'true', matchType: HeaderMatchType.EXACT, version: 'v3' }] }),
        'test', /headerRoutes\[0\]\.header must be a lowercase header name.*got "X-Canary".*"x-canary"/);
      expectMeshError(() => svc.setRouting(c, { weights, headerRoutes: [{ header: 'x-canary', value: '', matchType: HeaderMatchType.EXACT, version: 'v3' }] }),
        'test', /headerRoutes\[0\]\.value must be a non-empty string/);
      expectMeshError(() => svc.setRouting(c, { weights, headerRoutes: [{ header: 'x-canary', value: 'a(?=b)', matchType: HeaderMatchType.REGEX, version: 'v3' }] }),
        'test', /headerRoutes\[0\]\.pattern/);
      expectMeshError(() => svc.setRouting(c, { weights, headerRoutes: [{ header: 'x-canary', value: 'true', matchType: 'glob' as any, version: 'v3' }] }),
        'test', /headerRoutes\[0\]\.matchType/);
    });
    test('fails when setRouting is given the wrong shapes (plain JavaScript)', () => {
      const { chart: c } = chart();
      const svc = service(c);
      expectMeshError(() => svc.setRouting(c, undefined as any), 'test', /routing must be a ServiceRouting object/);
      expectMeshError(() => svc.setRouting(c, { weights: 'v2' } as any), 'test', /weights must be a list of \{ version, weight \}/);
      expectMeshError(() => svc.setRouting(c, { weights: [null] } as any), 'test', /weights must each be \{ version, weight \}/);
      expectMeshError(() => svc.setRouting(c, { weights: [{ version: 'v2', weight: 100 }], headerRoutes: 'x' } as any), 'test', /headerRoutes must be a list/);
      expectMeshError(() => svc.setRouting(c, { weights: [{ version: 'v2', weight: 100 }], mirrorPercent: 10 }), 'test', /mirrorPercent has no effect without mirrorVersion/);
    });

    // steps
    test('fails when the steps are not increasing', () =>
      expectMeshError(() => release({ steps: [1, 25, 5, 100], currentStep: 1 }), at, /steps must be strictly increasing \(step 3 is 5, after 25\), got \[1,25,5,100\]/));
    test('fails when the steps repeat a weight', () =>
      expectMeshError(() => release({ steps: [5, 5, 100], currentStep: 1 }), at, /steps must be strictly increasing \(step 2 is 5, after 5\)/));
    test('fails when a step exceeds 100', () =>
      expectMeshError(() => release({ steps: [10, 50, 120], currentStep: 1 }), at, /steps must hold whole percents from 1 to 100 \(step 3 is 120;.*got \[10,50,120\]/));
    test('fails when a step is 0 (currentStep 0 means that)', () =>
      expectMeshError(() => release({ steps: [0, 50, 100], currentStep: 1 }), at, /steps must hold whole percents from 1 to 100 \(step 1 is 0; currentStep 0 already means weight 0\)/));
    test('fails when a step is not an integer', () =>
      expectMeshError(() => release({ steps: [0.5, 50], currentStep: 1 }), at, /steps must hold whole percents from 1 to 100 \(step 1 is 0.5/));
    test('fails when the plan is empty', () => expectMeshError(() => release({ steps: [], currentStep: 0 }), at, /steps must list at least one weight, got \[\]/));
    test('fails when the current step is past the plan', () =>
      expectMeshError(() => release({ steps: [1, 5, 25], currentStep: 4 }), at, /currentStep must be a whole number from 0 to 3: steps are counted from 1.*got 4: pick a step of the plan \[1,5,25\]/));
    test('fails when the current step is negative', () => expectMeshError(() => release({ steps: [1, 5], currentStep: -1 }), at, /currentStep must be a whole number from 0 to 2.*got -1/));
    test('fails when the current step is missing', () => expectMeshError(() => release({ steps: [1, 5] }), at, /currentStep is required with steps \(a plan of 2\), got nothing/));
    test('fails when a current step is given without a plan', () => expectMeshError(() => release({ currentStep: 2 }), at, /currentStep needs a plan of steps, got 2/));
    test('fails when both canaryWeight and steps are set', () =>
      expectMeshError(() => release({ canaryWeight: 5, steps: [5, 100], currentStep: 1 }), at, /canaryWeight cannot be set together with steps.*got 5/));

    // one release per service
    test('fails when two CanaryReleases target the same service', () => {
      const { chart: c } = chart();
      const svc = service(c);
      svc.addVersion('v4');
      new CanaryRelease(c, 'canary', { service: svc, canaryVersion: 'v3', canaryWeight: 10 });
      expectMeshError(() => new CanaryRelease(c, 'canary-v4', { service: svc, canaryVersion: 'v4', canaryWeight: 5 }),
        'test/canary-v4', /service already has its routing set by test\/canary: two releases on one service would fight over its single VirtualService, got "test\/checkout"/);
    });

    // mirror
    test('fails when mirroring to the canary at promotion (it already gets 100%)', () =>
      expectMeshError(() => release({ canaryWeight: 100, mirrorPercent: 10 }), at, /mirrorPercent mirrors to "v3", which already gets 100% of the traffic.*got 10: remove mirrorPercent at promotion/));
    test('fails when mirroring at the last step of a plan ending at 100', () =>
      expectMeshError(() => release({ steps: [50, 100], currentStep: 2, mirrorPercent: 5 }), at, /mirrorPercent mirrors to "v3", which already gets 100%/));
    test('fails when mirrorPercent is above 100', () => expectMeshError(() => release({ mirrorPercent: 150 }), at, /mirrorPercent must be a percentage from 0 to 100, got 150/));
    test('fails when mirrorPercent is negative', () => expectMeshError(() => release({ mirrorPercent: -5 }), at, /mirrorPercent must be a percentage from 0 to 100, got -5/));
    test('fails when mirroring on a TCP service', () =>
      expectMeshError(() => release({ mirrorPercent: 5 }, { protocol: MeshProtocol.TCP }), at, /mirrorPercent needs HTTP, and test\/checkout is a TCP service/));

    // header override
    test('fails when a header override is set on a TCP service', () =>
      expectMeshError(() => release({ headerOverride: HeaderMatch.exact('x-canary', 'true') }, { protocol: MeshProtocol.TCP }), at,
        /headerOverride needs HTTP, and test\/checkout is a TCP service \(TCP has no headers\), got "x-canary": set headerOverride: HeaderMatch.none\(\)/));
    test('fails when header routes reach a TCP service through setRouting', () => {
      const { chart: c } = chart();
      const svc = service(c, { protocol: MeshProtocol.TCP });
      expectMeshError(() => svc.setRouting(c, {
        weights: [{ version: 'v2', weight: 100 }],
        headerRoutes: [{ header: 'x-canary', value: 'true', matchType: HeaderMatchType.EXACT, version: 'v3' }],
      }), 'test', /headerRoutes need HTTP, and test\/checkout is a TCP service/);
    });
    test('fails when the header name has capitals', () =>
      expectMeshError(() => release({ headerOverride: HeaderMatch.exact('X-Canary', 'true') }), at, /headerOverride.header must be a lowercase header name.*got "X-Canary": write it lowercase, e.g. "x-canary"/));
    test('fails when the header name is empty', () => expectMeshError(() => release({ headerOverride: HeaderMatch.exact('', 'true') }), at, /headerOverride.header must be a lowercase header name/));
    test('fails when the header key is one Istio ignores', () =>
      expectMeshError(() => release({ headerOverride: HeaderMatch.prefix('uri', '/beta') }), at, /headerOverride.header is a key Istio ignores as a header match.*got "uri"/));
    test('fails when the header value is empty', () =>
      expectMeshError(() => release({ headerOverride: HeaderMatch.prefix('x-canary', '') }), at, /headerOverride.value must be a non-empty string \(an empty value matches any request that has the header\)/));
    test('fails when the header value has a newline', () =>
      expectMeshError(() => release({ headerOverride: HeaderMatch.exact('x-canary', 'true\n') }), at, /headerOverride.value must not contain control characters/));
    test('fails when the regex uses a lookahead', () =>
      expectMeshError(() => release({ headerOverride: HeaderMatch.regex('x-tester', '^(?!bob).*') }), at, /headerOverride.pattern uses a lookaround, which RE2/));
    test('fails when the regex uses a backreference', () =>
      expectMeshError(() => release({ headerOverride: HeaderMatch.regex('x-tester', '(a)\\1') }), at, /headerOverride.pattern uses a backreference/));
    test('fails when the regex does not compile', () =>
      expectMeshError(() => release({ headerOverride: HeaderMatch.regex('x-tester', '(alice|bob') }), at, /headerOverride.pattern is not a valid regular expression, got "\(alice\|bob"/));
    test('fails when the regex is longer than istiod allows', () =>
      expectMeshError(() => release({ headerOverride: HeaderMatch.regex('x-tester', 'a'.repeat(1025)) }), at, /headerOverride.pattern must be at most 1024 characters \(istiod's limit\), it has 1025/));
    test('fails when the service is not a MeshedService', () => {
      const { chart: c } = chart();
      expectMeshError(() => new CanaryRelease(c, 'canary', { service: {} as any, canaryVersion: 'v3' }), at, /service must be a MeshedService/);
    });
  });
});
