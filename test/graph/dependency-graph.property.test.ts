import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CallerIdentity, DependencyGraph, ExternalProtocol, ExternalService, MeshedService, SidecarTuning } from '../../src/index';
import { INT32_MAX } from '../../src/private/checks';
import { dnsLabel } from '../arbitraries';
import { ForValidator, isLibraryError, Obj } from '../util';

interface Case {
  /** Each service: its namespace (chart), the replicas of each of its versions, its workers and Service port. */
  readonly services: { ns: number; replicas: number[]; workers: number; servicePort: number }[];
  readonly edges: [number, number][];
  readonly consent: boolean[];
}

const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 2, max: 6 }).chain((n) => fc.record({
  services: fc.array(fc.record({
    ns: fc.integer({ min: 0, max: 1 }),
    // several versions per service (a canary in progress): each version is a cluster of its own
    replicas: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
    workers: fc.integer({ min: 1, max: 2 }),
    servicePort: fc.integer({ min: 1, max: 65535 }),
  }), { minLength: n, maxLength: n }),
  edges: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { selector: ([a, b]) => `${a}-${b}`, maxLength: n * 2 }),
  consent: fc.array(fc.boolean(), { minLength: n * n, maxLength: n * n }),
}));

function build(c: Case): { app: App; charts: Chart[]; svcs: MeshedService[] } {
  const app = Testing.app();
  const charts = [new Chart(app, 'a', { namespace: 'ns-a' }), new Chart(app, 'b', { namespace: 'ns-b' })];
  const svcs = c.services.map((s, i) => {
    const svc = new MeshedService(charts[s.ns], `s${i}`, {
      image: `ghcr.io/acme/s${i}:1`, port: 8080, servicePort: s.servicePort, replicas: s.replicas[0], sidecar: SidecarTuning.of({ concurrency: s.workers }),
    });
    s.replicas.slice(1).forEach((r, v) => svc.addVersion(`v${v + 2}`, { replicas: r }));
    return svc;
  });
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
          // each callee's host, and its versions' Services once it has two versions (where its VirtualService routes)
          const hosts = deps.flatMap((d) => [d.host, ...d.versionHosts].map((h) => `${d.namespace}/${h}`));
          expect(sidecar!.spec.egress[0].hosts).toEqual(['istio-system/*', ...[...new Set(hosts)].sort()]);
          expect(deps.every((d) => d.versions.length === 1 ? d.versionHosts.length === 0 : d.versionHosts.length === d.versions.length)).toBe(true);
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
        // HTTP/1.1 callers: the floor is the sum of the callers' replicas (every version's) × workers × the
        // callee's replicas (every version's: a warm pool per worker per host); with no concurrentRequests
        // declared the worst case is the default cap of 1024 per cluster (one per version once there are two)
        // plus Envoy's soft-cap overshoot of one connection per host per worker
        const total = (k: number) => c.services[k].replicas.reduce((a, b) => a + b, 0);
        const clusters = c.services[i].replicas.length;
        const share = (f: (k: number) => number) => callers.reduce((n, x) => n + f(svcs.indexOf(x)), 0);
        expect(g.inboundBudgetOf(s).floor).toBe(share((k) => total(k) * c.services[k].workers * total(i)));
        expect(g.inboundBudgetOf(s).worstCase).toBe(share((k) => total(k) * (1024 * clusters + c.services[k].workers * total(i))));
      });
      if (outputs.length < 25) outputs.push(objs);
    }), { numRuns: 60 });
    validated.add(...outputs);
  });

  // Hosts istiod accepts: DNS-1123 labels of up to 63 characters, at least two, a top-level label with a letter.
  const externalHost = fc.tuple(fc.array(dnsLabel(63), { minLength: 1, maxLength: 3 }), dnsLabel(10, true))
    .map(([labels, tld]) => [...labels, tld].join('.')).filter((h) => h.length <= 253 && !h.endsWith('.svc.cluster.local'));
  const clusterHost = fc.tuple(dnsLabel(63, true), dnsLabel(63)).map(([n, ns]) => `${n}.${ns}.svc.cluster.local`);
  const port = fc.record({ number: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom(...Object.values(ExternalProtocol)) });
  const validPorts = fc.uniqueArray(port,
    { selector: (p) => p.number, minLength: 1, maxLength: 3 });
  const capacity = fc.option(fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.constant(INT32_MAX)), { nil: undefined });

  test('any valid ExternalService input synthesizes (a ServiceEntry for an external host, none for a cluster host)', () => {
    const outputs: Obj[][] = [];
    fc.assert(fc.property(fc.oneof(externalHost, clusterHost), validPorts, capacity, (host, ports, cap) => {
      const ch = new Chart(Testing.app(), 'x', { namespace: 'shop' });
      const e = new ExternalService(ch, 'e', { host, ports, maxInboundConnections: cap });
      const objs = Testing.synth(ch) as Obj[];
      expect(JSON.stringify(objs)).not.toContain('undefined');
      expect(e.maxInboundConnections).toBe(cap);
      const entries = objs.filter((o) => o.kind === 'ServiceEntry');
      if (host.endsWith('.svc.cluster.local')) {
        expect(entries).toEqual([]);
      } else {
        expect(entries).toHaveLength(1);
        expect(entries[0].spec.hosts).toEqual([host]);
        expect(entries[0].spec.ports.map((p: any) => [p.number, p.protocol])).toEqual(ports.map((p) => [p.number, p.protocol]));
      }
      if (outputs.length < 25 && objs.length) outputs.push(objs);
    }), { numRuns: 100 });
    validated.add(...outputs);
  });

  test('one mistake in an ExternalService input: our error naming the prop', () => {
    const ok = { host: 'api.stripe.com', ports: [{ number: 443, protocol: ExternalProtocol.TLS }] };
    const invalid: fc.Arbitrary<[any, string]> = fc.oneof(
      fc.oneof(
        fc.string({ maxLength: 20 }).filter((h) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(h)),
        fc.constantFrom('x', 'API.stripe.com', '*.stripe.com', '10.0.0.1', 'api.123', 'a..b', `${'a'.repeat(64)}.com`, `${'a.'.repeat(127)}com`),
      ).map((host): [any, string] => [{ ...ok, host }, 'host']),
      fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 }), fc.constant(1.5))
        .map((number): [any, string] => [{ ...ok, ports: [{ number, protocol: ExternalProtocol.TCP }] }, 'ports[0].number']),
      fc.constantFrom('SMTP', 'tcp', '').map((protocol): [any, string] => [{ ...ok, ports: [{ number: 25, protocol }] }, 'ports[0].protocol']),
      fc.integer({ min: 1, max: 65535 }).map((number): [any, string] => [{ ...ok, ports: [{ number, protocol: ExternalProtocol.TCP }, { number, protocol: ExternalProtocol.TLS }] }, 'ports[1].number']),
      fc.oneof(fc.integer({ min: -5, max: 0 }), fc.constant(INT32_MAX + 1), fc.constant(2.5))
        .map((maxInboundConnections): [any, string] => [{ ...ok, maxInboundConnections }, 'maxInboundConnections']),
    );
    fc.assert(fc.property(invalid, ([props, prop]) => {
      const ch = new Chart(Testing.app(), 'x', { namespace: 'shop' });
      let thrown: unknown;
      try {
        new ExternalService(ch, 'e', props);
      } catch (e) {
        thrown = e;
      }
      expect(isLibraryError(thrown)).toBe(true);
      expect(String((thrown as Error).message)).toContain(`x/e: ${prop} `);
    }), { numRuns: 120 });
  });
  validated.test();
});
