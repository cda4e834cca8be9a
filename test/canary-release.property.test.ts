import * as fc from 'fast-check';
import { CanaryRelease, HeaderMatch, IstioApiVersion, MeshedService, MeshProtocol } from '../src';
import { dnsLabel } from './arbitraries';
import { all, chart, isLibraryError, Obj, only, synth, testValidated, validateWithShared } from './util';

// Namespaces up to 63 characters; versions up to 54, so `checkout-<version>` (each version's
// Deployment and Service) is at most 63.
const label = dnsLabel(63);
const version = dnsLabel(54);
const headerName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,12}[a-z0-9])?$/).filter((h) => !['uri', 'scheme', 'method', 'authority'].includes(h));
const headerValue = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 });

/** Either a weight or a plan of steps with its current step. */
const weighting = fc.oneof(
  fc.record({ canaryWeight: fc.integer({ min: 0, max: 100 }) }),
  fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 })
    .map((s) => s.sort((a, b) => a - b))
    .chain((steps) => fc.record({ steps: fc.constant(steps), currentStep: fc.integer({ min: 0, max: steps.length }) })),
);

const header = fc.oneof(
  fc.constant(undefined),
  fc.constant(HeaderMatch.none()),
  fc.tuple(headerName, headerValue).map(([h, v]) => HeaderMatch.exact(h, v)),
  fc.tuple(headerName, headerValue).map(([h, v]) => HeaderMatch.prefix(h, v)),
);

const validInput = fc.record({
  versions: fc.uniqueArray(version, { minLength: 2, maxLength: 4 }),
  stableIndex: fc.nat(),
  canaryOffset: fc.nat(),
  replicas: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 4, maxLength: 4 }),
  weighting,
  header,
  mirrorPercent: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
  protocol: fc.constantFrom(MeshProtocol.HTTP, MeshProtocol.HTTP2, MeshProtocol.GRPC, MeshProtocol.TCP),
  istioApiVersion: fc.constantFrom(IstioApiVersion.V1, IstioApiVersion.V1BETA1),
  namespace: fc.option(label, { nil: undefined }),
});
type Input = typeof validInput extends fc.Arbitrary<infer T> ? T : never;

function build(input: Input) {
  const { chart: c } = chart(input.namespace);
  const [first, ...rest] = input.versions;
  const svc = new MeshedService(c, 'checkout', {
    image: 'acme/checkout:1', port: 8080, version: first, protocol: input.protocol, istioApiVersion: input.istioApiVersion, replicas: input.replicas[0],
  });
  rest.forEach((v, i) => svc.addVersion(v, { replicas: input.replicas[i + 1] }));
  const n = input.versions.length;
  const stable = input.versions[input.stableIndex % n];
  const canaryVersion = input.versions[(input.stableIndex + 1 + (input.canaryOffset % (n - 1))) % n];
  const tcp = input.protocol === MeshProtocol.TCP;
  const canary = new CanaryRelease(c, 'canary', {
    service: svc,
    stableVersion: stable,
    canaryVersion,
    ...input.weighting,
    headerOverride: tcp ? undefined : input.header,
    mirrorPercent: tcp ? undefined : input.mirrorPercent,
  });
  return { c, svc, canary, stable, canaryVersion };
}

/** Valid inputs minus the one combination the library refuses by design: a mirror at promotion. */
const valid = validInput.filter((i) => {
  const w = 'canaryWeight' in i.weighting ? i.weighting.canaryWeight : i.weighting.currentStep === 0 ? 0 : i.weighting.steps[i.weighting.currentStep - 1];
  return !(w === 100 && i.mirrorPercent !== undefined && i.mirrorPercent > 0 && i.protocol !== MeshProtocol.TCP);
});

function routesOf(vs: Obj): any[] {
  return [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? [])];
}

describe('CanaryRelease (properties)', () => {
  const samples: Obj[][] = [];

  test('for any valid weights and versions: every VirtualService destination is a version\'s Service that selects its Deployment\'s pods, and the weights sum to 100', () => {
    fc.assert(fc.property(valid, (input) => {
      const { c, canary, stable, canaryVersion } = build(input);
      const objs = synth(c);
      if (samples.length < 40) samples.push(objs);

      const vs = only(objs, 'VirtualService');
      const deployments = all(objs, 'Deployment');
      const servicesByHost = new Map(all(objs, 'Service').map((svc) => [`${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local`, svc]));
      const versionOf = (host: string) => host.split('.')[0].replace(/^checkout-/, '');

      const referenced = new Set<string>();
      for (const rule of routesOf(vs)) {
        for (const r of rule.route) referenced.add(r.destination.host);
        if (rule.mirror) referenced.add(rule.mirror.host);
      }
      for (const host of referenced) {
        // a Service of the app provides the host (IST0101)
        const svc = servicesByHost.get(host);
        expect(svc).toBeDefined();
        // its selector selects the pods of exactly one Deployment: its own version's (IST0173)
        const selector: Record<string, string> = svc!.spec.selector;
        const selected = deployments.filter((d) => Object.entries(selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
        expect(selected.map((d) => d.metadata.name)).toEqual([`checkout-${versionOf(host)}`]);
        expect(selected[0].spec.replicas).toBeGreaterThan(0);
      }

      // the weighted route is last; its weights sum to 100 (one destination: no weight, all traffic)
      const rules = routesOf(vs);
      const weighted = rules[rules.length - 1];
      expect(weighted.match).toBeUndefined();
      const route = weighted.route;
      if (route.length === 1) {
        expect(route[0].weight).toBeUndefined();
      } else {
        expect(route.every((r: any) => Number.isInteger(r.weight) && r.weight > 0)).toBe(true);
        expect(route.reduce((sum: number, r: any) => sum + r.weight, 0)).toBe(100);
      }
      const share = (v: string) => route.length === 1
        ? (versionOf(route[0].destination.host) === v ? 100 : 0)
        : (route.find((r: any) => versionOf(r.destination.host) === v)?.weight ?? 0);
      expect(share(canaryVersion)).toBe(canary.canaryWeight);
      expect(share(stable)).toBe(100 - canary.canaryWeight);

      // header routes come first and go to the canary only
      for (const rule of rules.slice(0, -1)) {
        expect(rule.match).toBeDefined();
        expect(rule.route).toHaveLength(1);
        expect(versionOf(rule.route[0].destination.host)).toBe(canaryVersion);
      }
      expect(rules.length - 1).toBe(canary.headerOverride.isNone || canary.canaryWeight === 100 ? 0 : 1);

      // a client that bypasses the VirtualService reaches the host's Service: one version, never beyond its share
      const apex = only(objs, 'Service', 'checkout').spec.selector;
      const bypass = deployments.filter((d) => Object.entries(apex).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect(bypass).toHaveLength(1);
      expect(share(bypass[0].spec.template.metadata.labels.version)).toBeGreaterThanOrEqual(50);
      expect(JSON.stringify(objs)).not.toMatch(/undefined|null/);
    }), { numRuns: 150 });
  });

  testValidated('the sampled outputs pass the shared strict validator', () => {
    expect(samples.length).toBeGreaterThan(0);
    expect(validateWithShared(samples)).toEqual([]);
  });

  /**
   * What the library must do with a weight, plan, step and mirror: the error (prop and rule) it
   * must throw, in the order it checks them, or undefined when the input is valid.
   */
  function expectedError(
    canaryWeight?: number, steps?: number[], currentStep?: number, mirrorPercent?: number,
  ): { prop: string; rule: RegExp } | undefined {
    const whole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
    let weight: number;
    if (steps !== undefined) {
      if (canaryWeight !== undefined) return { prop: 'canaryWeight', rule: /cannot be set together with steps/ };
      if (steps.length === 0) return { prop: 'steps', rule: /must list at least one weight/ };
      for (let i = 0; i < steps.length; i++) {
        if (!whole(steps[i], 1, 100)) return { prop: 'steps', rule: /must hold whole percents from 1 to 100/ };
        if (i > 0 && steps[i] <= steps[i - 1]) return { prop: 'steps', rule: /must be strictly increasing/ };
      }
      if (currentStep === undefined) return { prop: 'currentStep', rule: /is required with steps/ };
      if (!whole(currentStep, 0, steps.length)) return { prop: 'currentStep', rule: /must be a whole number from 0 to/ };
      weight = currentStep === 0 ? 0 : steps[currentStep - 1];
    } else {
      if (currentStep !== undefined) return { prop: 'currentStep', rule: /needs a plan of steps/ };
      if (!whole(canaryWeight ?? 0, 0, 100)) return { prop: 'canaryWeight', rule: /must be a whole number from 0 to 100/ };
      weight = canaryWeight ?? 0;
    }
    if (mirrorPercent !== undefined) {
      if (!(Number.isFinite(mirrorPercent) && mirrorPercent >= 0 && mirrorPercent <= 100)) return { prop: 'mirrorPercent', rule: /must be a percentage from 0 to 100/ };
      if (mirrorPercent > 0 && weight === 100) return { prop: 'mirrorPercent', rule: /which already gets 100% of the traffic/ };
    }
    return undefined;
  }

  test('any weight, plan or mirror: a valid one synthesizes with weights summing to 100, an invalid one fails with the error for its first mistake', () => {
    // mostly values in range (valid plans are common), sometimes anything
    const anyNumber = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 100 }) },
      { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double(), fc.constant(NaN), fc.constant(Infinity)) },
    );
    const sorted = fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }).map((s) => s.sort((a, b) => a - b));
    const plan = fc.oneof(
      { weight: 3, arbitrary: sorted },
      // a step repeated or out of order: not strictly increasing
      {
        weight: 1,
        arbitrary: fc.tuple(sorted, fc.nat()).map(([s, k]) => {
          const at = k % s.length;
          return [...s.slice(0, at + 1), s[at], ...s.slice(at + 1)];
        }),
      },
      { weight: 1, arbitrary: sorted.filter((s) => s.length > 1).map((s) => [...s].reverse()) },
      { weight: 2, arbitrary: fc.array(anyNumber, { maxLength: 6 }) },
    );
    let accepted = 0;
    let refused = 0;
    const mirrorArb = fc.option(fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), anyNumber), { nil: undefined, freq: 2 });
    const input = fc.oneof(
      fc.tuple(fc.option(anyNumber, { nil: undefined }), fc.constant(undefined), fc.constant(undefined), mirrorArb),
      fc.tuple(fc.constant(undefined), plan, fc.oneof(fc.nat(7), anyNumber), mirrorArb),
      fc.tuple(
        fc.option(anyNumber, { nil: undefined }),
        fc.option(plan, { nil: undefined }),
        fc.option(fc.oneof(fc.nat(7), anyNumber), { nil: undefined }),
        mirrorArb,
      ),
    );
    fc.assert(fc.property(
      input,
      ([canaryWeight, steps, currentStep, mirrorPercent]) => {
        const expected = expectedError(canaryWeight, steps, currentStep, mirrorPercent);
        const { chart: c } = chart();
        const svc = new MeshedService(c, 'checkout', { image: 'acme/checkout:1', port: 8080, version: 'v2' });
        svc.addVersion('v3');
        let thrown: unknown;
        let canary: CanaryRelease | undefined;
        let objs: Obj[] | undefined;
        try {
          canary = new CanaryRelease(c, 'canary', { service: svc, canaryVersion: 'v3', canaryWeight, steps, currentStep, mirrorPercent });
          objs = synth(c);
        } catch (e) {
          thrown = e;
        }
        if (expected === undefined) {
          accepted++;
          if (thrown !== undefined) throw thrown; // valid input: never an error
          const http = only(objs!, 'VirtualService').spec.http;
          const route = http[http.length - 1].route;
          const share = (v: string) => (route.length === 1 ? (route[0].destination.host.startsWith(`checkout-${v}.`) ? 100 : 0)
            : route.find((r: any) => r.destination.host.startsWith(`checkout-${v}.`))?.weight ?? 0);
          // (+ 0: a canaryWeight of -0 is a valid 0; toBe tells -0 from 0)
          expect(share('v3')).toBe(canary!.canaryWeight + 0);
          expect(share('v2')).toBe(100 - canary!.canaryWeight);
          const mirror = http[http.length - 1].mirrorPercentage?.value;
          expect(mirror).toBe(mirrorPercent !== undefined && mirrorPercent > 0 ? mirrorPercent : undefined);
        } else {
          refused++;
          expect(isLibraryError(thrown)).toBe(true);
          const text = String((thrown as Error).message);
          expect(text).toContain(`test/canary: ${expected.prop} `);
          expect(text).toMatch(expected.rule);
        }
      }), { numRuns: 300 });
    // the generator reaches both outcomes
    expect(accepted).toBeGreaterThan(30);
    expect(refused).toBeGreaterThan(30);
  });
});
