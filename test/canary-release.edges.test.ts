// Boundaries of every CanaryRelease check: the last value accepted (and the routing it writes)
// next to the first value refused, with the whole message; and the synth checks no other test
// reaches (a version Service whose selector a JSON patch removed).
import { ApiObject, JsonPatch } from 'cdk8s';
import { CanaryRelease, CanaryReleaseProps, HeaderMatch, MeshedService, MeshProtocol } from '../src';
import { chart, expectRefused, Obj, only, synth } from './util';

const PATH = 'test/canary';

interface Release { readonly objs: () => Obj[]; readonly canary: CanaryRelease; readonly service: MeshedService }

function release(props: Partial<CanaryReleaseProps> = {}, protocol: MeshProtocol = MeshProtocol.HTTP): Release {
  const { chart: c } = chart();
  const service = new MeshedService(c, 'svc', { image: 'ghcr.io/acme/shop:1.0', port: 8080, protocol });
  service.addVersion('v2');
  const canary = new CanaryRelease(c, 'canary', { service, canaryVersion: 'v2', ...props } as CanaryReleaseProps);
  return { objs: () => synth(c), canary, service };
}
const weights = (props: Partial<CanaryReleaseProps>) => release(props).service.currentRouting.weights.map((w) => w.weight);

describe('CanaryRelease weights', () => {
  test.each([[0, [100, 0]], [1, [99, 1]], [100, [0, 100]]])('canaryWeight %d is accepted', (canaryWeight, expected) => {
    expect(weights({ canaryWeight })).toEqual(expected);
  });

  test('canaryWeight defaults to 0', () => {
    expect(weights({})).toEqual([100, 0]);
    expect(release().canary.stableWeight).toBe(100);
  });

  test.each([-1, 101, 10.5])('canaryWeight %d is refused', (canaryWeight) => {
    expectRefused(() => release({ canaryWeight }),
      `${PATH}: canaryWeight must be a whole number from 0 to 100, got ${canaryWeight}: set the percent of ordinary traffic for the canary version, e.g. 10 (100 promotes it, 0 rolls it back)`);
  });
});

describe('CanaryRelease steps', () => {
  test.each([
    [[1, 100], 0, 0],
    [[1, 100], 1, 1],
    [[1, 100], 2, 100],
    [[100], 1, 100],
    [[1, 2, 3], 3, 3],
  ])('steps %j at currentStep %d give the canary %d%%', (steps, currentStep, expected) => {
    const { canary } = release({ steps, currentStep });
    expect(canary.canaryWeight).toBe(expected);
    expect(canary.steps).toEqual(steps);
    expect(canary.currentStep).toBe(currentStep);
  });

  test.each([
    [[0, 100], 'step 1 is 0'],
    [[1, 101], 'step 2 is 101'],
    [[1, 2.5], 'step 2 is 2.5'],
    [[1, '5'], 'step 2 is "5"'],
  ])('steps %j are refused', (steps, which) => {
    expectRefused(() => release({ steps: steps as number[], currentStep: 1 }),
      `${PATH}: steps must hold whole percents from 1 to 100 (${which}; currentStep 0 already means weight 0), got ${JSON.stringify(steps)}: use weights like [1, 5, 25, 50, 100]`);
  });

  test.each([
    [[5, 5], 'step 2 is 5, after 5'],
    [[10, 5, 100], 'step 2 is 5, after 10'],
  ])('steps %j that do not increase are refused', (steps, which) => {
    expectRefused(() => release({ steps, currentStep: 1 }),
      `${PATH}: steps must be strictly increasing (${which}), got ${JSON.stringify(steps)}: sort the weights and drop repeats, e.g. [1, 5, 25, 50, 100]`);
  });

  test('an empty plan is refused', () => {
    expectRefused(() => release({ steps: [], currentStep: 0 }),
      `${PATH}: steps must list at least one weight, got []: set steps to increasing percents, e.g. [1, 5, 25, 50, 100], or set canaryWeight instead`);
  });

  test('steps without currentStep are refused', () => {
    expectRefused(() => release({ steps: [1, 50, 100] }),
      `${PATH}: currentStep is required with steps (a plan of 3), got nothing: set currentStep from 1 to 3, or 0 before the first step`);
  });

  test.each([-1, 3, 1.5])('currentStep %d of a plan of 2 is refused', (currentStep) => {
    expectRefused(() => release({ steps: [1, 100], currentStep }),
      `${PATH}: currentStep must be a whole number from 0 to 2: steps are counted from 1, and 0 means not started or rolled back, got ${currentStep}: pick a step of the plan [1,100], e.g. currentStep: 1 for 1%`);
  });
});

describe('CanaryRelease header override and mirror', () => {
  test('an HTTP release gets x-canary: true by default, and no header route at 100%', () => {
    const vs = (w: number) => only(release({ canaryWeight: w }).objs(), 'VirtualService').spec.http;
    expect(vs(99)[0].match).toEqual([{ headers: { 'x-canary': { exact: 'true' } } }]);
    expect(vs(100).map((h: any) => h.name)).toEqual(['default']);
  });

  test('a TCP release gets no header override by default, and takes none()', () => {
    expect(release({ canaryWeight: 10 }, MeshProtocol.TCP).canary.headerOverride.isNone).toBe(true);
    expect(release({ canaryWeight: 10, headerOverride: HeaderMatch.none() }, MeshProtocol.TCP).canary.headerOverride.isNone).toBe(true);
  });

  test.each([0, 0.5, 100])('mirrorPercent %d is accepted below promotion', (mirrorPercent) => {
    const { canary, service } = release({ canaryWeight: 99, mirrorPercent });
    expect(canary.mirrorPercent).toBe(mirrorPercent);
    expect(service.currentRouting.mirrorPercent).toBe(mirrorPercent === 0 ? undefined : mirrorPercent);
  });

  test.each([-1, 100.5])('mirrorPercent %d is refused', (mirrorPercent) => {
    expectRefused(() => release({ mirrorPercent }),
      `${PATH}: mirrorPercent must be a percentage from 0 to 100, got ${mirrorPercent}: set the share of requests to copy to the canary, e.g. 10`);
  });

  test('at promotion, a mirror of 0 is accepted and one above 0 refused', () => {
    expect(release({ canaryWeight: 100, mirrorPercent: 0 }).service.currentRouting.mirrorVersion).toBeUndefined();
    expectRefused(() => release({ canaryWeight: 100, mirrorPercent: 0.1 }),
      `${PATH}: mirrorPercent mirrors to "v2", which already gets 100% of the traffic: every request would reach it twice, got 0.1: remove mirrorPercent at promotion`);
  });

  test('a mirror on a TCP service is refused, even at 0', () => {
    expectRefused(() => release({ mirrorPercent: 0 }, MeshProtocol.TCP),
      `${PATH}: mirrorPercent needs HTTP, and test/svc is a TCP service (Istio mirrors HTTP routes only), got 0: remove mirrorPercent`);
  });
});

describe('CanaryRelease synth checks on the rendered objects', () => {
  test('a version Service whose selector a JSON patch removed is reported', () => {
    const { objs, service } = release({ canaryWeight: 10 });
    ApiObject.of(service.versionServiceOf('v2')!).addJsonPatch(JsonPatch.remove('/spec/selector'));
    expectRefused(objs,
      `${PATH}: canaryVersion has no selector on its Service svc-v2: it would select no pod, or every pod of the namespace, got "v2": keep the selector the MeshedService writes ({"app":"svc","version":"v2"})`);
  });

  test('an untouched release synthesizes', () => {
    expect(only(release({ canaryWeight: 10 }).objs(), 'Service', 'svc').spec.selector).toEqual({ app: 'svc', version: 'v1' });
  });

  test('the prop that named a version: canaryVersion, stableVersion, or none', () => {
    const { canary } = release();
    expect(canary._versionProp('v2')).toBe('canaryVersion');
    expect(canary._versionProp('v1')).toBe('stableVersion');
    expect(canary._versionProp('v9')).toBeUndefined();
  });
});

describe('CanaryRelease selector reports', () => {
  test('a version Service selecting a label the pods lack says it is absent on the pods', () => {
    const { objs, service } = release({ canaryWeight: 10 });
    ApiObject.of(service.versionServiceOf('v2')!).addJsonPatch(JsonPatch.add('/spec/selector/tier', 'web'));
    expectRefused(objs,
      `${PATH}: canaryVersion has selector {"app":"svc","version":"v2","tier":"web"} on its Service svc-v2 that does not select the pods of Deployment svc-v2 (tier is "web" in the selector, absent on the pods), so it would get no traffic (IST0173)`);
  });

  test('a host Service selecting no version says so', () => {
    const { objs, service } = release({ canaryWeight: 10 });
    ApiObject.of(service.service).addJsonPatch(JsonPatch.replace('/spec/selector/version', 'v9'));
    expectRefused(objs,
      `${PATH}: service has a Service svc whose selector {"app":"svc","version":"v9"} reaches no version, while the split gives the most traffic to "v1"`);
  });
});

describe('CanaryRelease: JSON patches that break the rendered objects are reported', () => {
  test.each([
    ['a number', JsonPatch.replace('/spec/http/1/route/0/destination/host', 42), '42'],
    ['nothing (the destination removed)', JsonPatch.remove('/spec/http/1/route/0/destination'), 'nothing'],
  ])('a weighted route to %s', (_what, patch, shown) => {
    const { objs, service } = release({ canaryWeight: 10 });
    service.virtualService.addJsonPatch(patch);
    expectRefused(objs,
      `${PATH}: service routes the weighted route to host ${shown}, which is none of its versions' Services (svc-v1.shop.svc.cluster.local, svc-v2.shop.svc.cluster.local): those requests would not follow the release, got "test/svc"`);
  });

  test('a pod template whose labels a JSON patch removed is not selected by its Service (IST0173)', () => {
    const { objs, service } = release({ canaryWeight: 10 });
    ApiObject.of(service.deploymentOf('v2')).addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels'));
    expectRefused(objs,
      `${PATH}: canaryVersion has selector {"app":"svc","version":"v2"} on its Service svc-v2 that does not select the pods of Deployment svc-v2 (app is "svc" in the selector, absent on the pods; version is "v2" in the selector, absent on the pods), so it would get no traffic (IST0173)`);
  });
});
