import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CallerIdentity, DependencyGraph, ExternalProtocol, ExternalService, MeshedService, SidecarTuning } from '../../src/index';
import { ForValidator, isLibraryError, Obj } from '../util';

interface Case {
  readonly services: { ns: number; replicas: number; workers: number }[];
  readonly edges: [number, number][];
  readonly consent: boolean[];
}

const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 2, max: 6 }).chain((n) => fc.record({
  services: fc.array(fc.record({
    ns: fc.integer({ min: 0, max: 1 }),
    replicas: fc.integer({ min: 0, max: 4 }),
    workers: fc.integer({ min: 1, max: 2 }),
  }), { minLength: n, maxLength: n }),
  edges: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { selector: ([a, b]) => `${a}-${b}`, maxLength: n * 2 }),
  consent: fc.array(fc.boolean(), { minLength: n * n, maxLength: n * n }),
}));

function build(c: Case): { app: App; charts: Chart[]; svcs: MeshedService[] } {
  const app = Testing.app();
  const charts = [new Chart(app, 'a', { namespace: 'ns-a' }), new Chart(app, 'b', { namespace: 'ns-b' })];
  const svcs = c.services.map((s, i) => new MeshedService(charts[s.ns], `s${i}`, {
    image: `ghcr.io/acme/s${i}:1`, port: 8080, replicas: s.replicas, sidecar: SidecarTuning.of({ concurrency: s.workers }),
  }));
  c.edges.forEach(([from, to], k) => {
    svcs[from].talksTo(svcs[to]);
    if (svcs[from].namespace !== svcs[to].namespace && c.consent[k]) svcs[to].allowCallsFrom(CallerIdentity.of(svcs[from]));
  });
  return { app, charts, svcs };
}

describe('DependencyGraph (properties)', () => {
  const validated = new ForValidator();
  test('any graph: consented graphs synthesize the Sidecars, policies and budgets the edges imply; others fail with our error', () => {
    const outputs: Obj[][] = [];
    fc.assert(fc.property(caseArb, (c) => {
      const { app, charts, svcs } = build(c);
      const denied = c.edges.some(([from, to], k) => svcs[from].namespace !== svcs[to].namespace && !c.consent[k]);
      let objs: Obj[];
      try {
        objs = charts.flatMap((ch) => Testing.synth(ch) as Obj[]);
      } catch (e) {
        expect(isLibraryError(e)).toBe(true);
        expect(denied).toBe(true);
        expect(String((e as Error).message)).toMatch(/its AuthorizationPolicy would deny/);
        return;
      }
      expect(denied).toBe(false);
      const g = DependencyGraph.of(app);
      svcs.forEach((s, i) => {
        const deps = c.edges.filter(([from]) => from === i).map(([, to]) => svcs[to]);
        const sidecar = objs.find((o) => o.kind === 'Sidecar' && o.metadata.name === s.name && o.metadata.namespace === s.namespace);
        if (deps.length === 0) {
          expect(sidecar).toBeUndefined();
        } else {
          expect(sidecar!.spec.egress[0].hosts).toEqual(['istio-system/*', ...[...new Set(deps.map((d) => `${d.namespace}/${d.host}`))].sort()]);
        }
        const callers = c.edges.filter(([, to]) => to === i).map(([from]) => svcs[from]);
        // each caller once (construct-tree order: chart a's services first)
        expect(g.callersOf(s).map((x) => x.name).sort()).toEqual([...new Set(callers.map((x) => x.name))].sort());
        const ap = objs.find((o) => o.kind === 'AuthorizationPolicy' && o.metadata.name === s.name && o.metadata.namespace === s.namespace);
        if (callers.length === 0) {
          expect(ap).toBeUndefined();
        } else {
          const principals = ap!.spec.rules[0].from[0].source.principals;
          expect(principals).toEqual([...new Set(callers.map((x) => `cluster.local/ns/${x.namespace}/sa/${x.name}`))].sort());
        }
        // HTTP/1.1 callers: the floor is the sum of the callers' replicas × workers × the callee's replicas
        // (a warm pool per worker per host); with no concurrentRequests declared the worst case is the
        // default cap of 1024 plus Envoy's soft-cap overshoot of one connection per host per worker
        const share = (f: (cs: { replicas: number; workers: number }) => number) => callers.reduce((n, x) => n + f(c.services[svcs.indexOf(x)]), 0);
        expect(g.inboundBudgetOf(s).floor).toBe(share((cs) => cs.replicas * cs.workers * c.services[i].replicas));
        expect(g.inboundBudgetOf(s).worstCase).toBe(share((cs) => cs.replicas * (1024 + cs.workers * c.services[i].replicas)));
      });
      if (outputs.length < 25) outputs.push(objs);
    }), { numRuns: 60 });
    validated.add(...outputs);
  });

  test('any ExternalService input: either valid objects or our error, never a crash', () => {
    const outputs: Obj[][] = [];
    fc.assert(fc.property(
      fc.oneof(fc.constantFrom('api.stripe.com', 'db.data.svc.cluster.local', 'a.b', 'x'), fc.string({ maxLength: 20 }), fc.domain()),
      fc.array(fc.record({ number: fc.integer({ min: -1, max: 70000 }), protocol: fc.constantFrom(...Object.values(ExternalProtocol), 'SMTP') }), { maxLength: 3 }),
      fc.option(fc.integer({ min: -1, max: 2000 }), { nil: undefined }),
      (host, ports, capacity) => {
        const ch = new Chart(Testing.app(), 'x', { namespace: 'shop' });
        try {
          new ExternalService(ch, 'e', { host, ports: ports as any, maxInboundConnections: capacity });
        } catch (e) {
          expect(isLibraryError(e)).toBe(true);
          return;
        }
        const objs = Testing.synth(ch) as Obj[];
        expect(JSON.stringify(objs)).not.toContain('undefined');
        if (outputs.length < 25 && objs.length) outputs.push(objs);
      }), { numRuns: 150 });
    validated.add(...outputs);
  });
  validated.test();
});
