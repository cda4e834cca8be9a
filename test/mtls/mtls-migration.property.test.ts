import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { MeshedService, MtlsMigration, MtlsMode, MtlsPortException, MtlsScope, OutsideClient } from '../../src/index';
import { dnsLabel } from '../arbitraries';
import { ForValidator, isLibraryError, Obj } from '../util';

// DNS-1123 labels up to the 63-character limit (namespaces), not only short ones.
const label = dnsLabel(63);
const REASON = 'the app terminates TLS itself (SEC-1)';
// The sidecar's own ports (never captured, refused as exceptions) and the Service port (80; the container's is 8080).
const PROXY_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];
const exceptablePort = fc.integer({ min: 1, max: 65535 }).filter((p) => !PROXY_PORTS.includes(p) && p !== 80);
const anyMode = fc.constantFrom(MtlsMode.PERMISSIVE, MtlsMode.STRICT, MtlsMode.DISABLE);

interface Valid {
  readonly meshMode: MtlsMode;
  readonly rootNamespace?: string;
  readonly namespaces: { ns: string; mode: MtlsMode }[];
  readonly workload?: { mode: MtlsMode; ports: MtlsPortException[] };
  readonly client?: { ns: string; callsShop: boolean };
}

/**
 * Inputs the library must accept: distinct namespaces other than the root namespace, any mode
 * (DISABLE with a reason), port exceptions below the workload's mode on ports the container may
 * listen on, and an outside client calling `shop` only while nothing that governs `shop` is STRICT
 * (one that does not say what it calls: while nothing is STRICT).
 */
const valid: fc.Arbitrary<Valid> = fc.record({
  meshMode: anyMode,
  rootNamespace: fc.option(label, { nil: undefined }),
  namespaces: fc.uniqueArray(fc.record({ ns: label, mode: anyMode }), { selector: (n) => n.ns, maxLength: 3 }),
  workload: fc.option(anyMode.chain((mode) => fc.record({
    mode: fc.constant(mode),
    ports: fc.uniqueArray(fc.record({
      port: exceptablePort,
      mode: fc.constantFrom(...[MtlsMode.PERMISSIVE, MtlsMode.DISABLE].filter((m) => m !== mode)),
      reason: fc.constant(REASON),
    }), { selector: (p) => p.port, maxLength: 2 }),
  })), { nil: undefined }),
  client: fc.option(fc.record({ ns: label, callsShop: fc.boolean() }), { nil: undefined, freq: 3 }),
}).filter((i) => {
  const root = i.rootNamespace ?? 'istio-system';
  if (root === 'shop' || i.namespaces.some((n) => n.ns === root)) return false;
  if (!i.client) return true;
  // a client whose calls are not declared may call anything: then nothing may be STRICT
  if (!i.client.callsShop) return ![i.meshMode, i.workload?.mode, ...i.namespaces.map((n) => n.mode)].includes(MtlsMode.STRICT);
  // what governs the workload api in shop: its own policy, else shop's, else the mesh's
  const governing = i.workload?.mode ?? i.namespaces.find((n) => n.ns === 'shop')?.mode ?? i.meshMode;
  const shopMode = i.namespaces.find((n) => n.ns === 'shop')?.mode;
  return governing !== MtlsMode.STRICT && shopMode !== MtlsMode.STRICT && i.meshMode !== MtlsMode.STRICT;
});

function build(i: Valid & { inject?: boolean }): Obj[] {
  const app = Testing.app();
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new MeshedService(shop, 'api', { image: 'acme/api:1', port: 8080, servicePort: 80, injectSidecar: i.inject ?? true });
  const reason = (m: MtlsMode) => (m === MtlsMode.DISABLE ? REASON : undefined);
  const m = new MtlsMigration(shop, 'mtls', { meshMode: i.meshMode, meshModeReason: reason(i.meshMode), rootNamespace: i.rootNamespace });
  for (const n of i.namespaces) m.addPolicy({ scope: MtlsScope.namespace(n.ns), mode: n.mode, reason: reason(n.mode) });
  if (i.workload) {
    m.addPolicy({ scope: MtlsScope.workload(api), mode: i.workload.mode, reason: reason(i.workload.mode), portExceptions: i.workload.ports });
  }
  if (i.client) m.addOutsideClient(OutsideClient.named(i.client.ns, 'cron', { calls: i.client.callsShop ? [MtlsScope.namespace('shop')] : undefined }));
  return Testing.synth(shop) as Obj[];
}

describe('MtlsMigration (properties)', () => {
  const validated = new ForValidator();
  test('any valid input synthesizes one PeerAuthentication per scope, with its mode and port exceptions', () => {
    const outputs: Obj[][] = [];
    fc.assert(fc.property(valid, (i) => {
      const objs = build(i);
      const pas = objs.filter((o) => o.kind === 'PeerAuthentication');
      expect(pas.length).toBe(1 + i.namespaces.length + (i.workload ? 1 : 0));
      expect(JSON.stringify(pas)).not.toMatch(/undefined|null/);
      const mesh = pas.find((p) => p.metadata.namespace === (i.rootNamespace ?? 'istio-system') && p.metadata.name === 'default')!;
      expect(mesh.spec.mtls.mode).toBe(i.meshMode);
      for (const n of i.namespaces) {
        expect(pas.find((p) => p.metadata.namespace === n.ns && p.metadata.name === 'default')!.spec.mtls.mode).toBe(n.mode);
      }
      for (const pa of pas) if (pa.spec.portLevelMtls) expect(pa.spec.selector.matchLabels).toEqual({ app: 'api' });
      if (i.workload) {
        const w = pas.find((p) => p.metadata.namespace === 'shop' && p.metadata.name === 'api')!;
        expect(w.spec.mtls.mode).toBe(i.workload.mode);
        expect(Object.fromEntries(Object.entries(w.spec.portLevelMtls ?? {}).map(([k, v]: [string, any]) => [k, v.mode])))
          .toEqual(Object.fromEntries(i.workload.ports.map((p) => [String(p.port), p.mode])));
      }
      if (outputs.length < 40) outputs.push(pas);
    }), { numRuns: 120, seed: 4242 });
    validated.add(...outputs);
  });
  validated.test('the generated PeerAuthentications pass the shared strict validator');

  /** One mistake in an otherwise valid input, and the prop and rule its error must name. */
  const base: Valid = { meshMode: MtlsMode.PERMISSIVE, namespaces: [] };
  type Mistake = { input: Valid & { inject?: boolean }; prop: string; rule: RegExp };
  const invalid: fc.Arbitrary<Mistake> = fc.oneof(
    fc.string({ maxLength: 70 }).filter((s) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s)).map((ns) => ({
      input: { ...base, namespaces: [{ ns, mode: MtlsMode.STRICT }] }, prop: 'policies[0].scope namespace', rule: /must be a DNS-1123 label/,
    })),
    fc.constantFrom(0, -1, 65536, 70000, 1.5).map((port) => ({
      input: { ...base, workload: { mode: MtlsMode.STRICT, ports: [{ port, reason: REASON }] } }, prop: 'policies[0].portExceptions[0].port', rule: /must be a whole number from 1 to 65535/,
    })),
    fc.constantFrom(...PROXY_PORTS).map((port) => ({
      input: { ...base, workload: { mode: MtlsMode.STRICT, ports: [{ port }] } }, prop: 'policies[0].portExceptions[0].port', rule: /is a port of the sidecar itself/,
    })),
    fc.constant<Mistake>({ input: { ...base, workload: { mode: MtlsMode.STRICT, ports: [{ port: 80 }] } }, prop: 'policies[0].portExceptions[0].port', rule: /is the Service port of api/ }),
    exceptablePort.map((port) => ({
      input: { ...base, workload: { mode: MtlsMode.STRICT, ports: [{ port, mode: MtlsMode.STRICT }] } }, prop: 'policies[0].portExceptions[0].mode', rule: /must be PERMISSIVE or DISABLE/,
    })),
    exceptablePort.map((port) => ({
      input: { ...base, workload: { mode: MtlsMode.PERMISSIVE, ports: [{ port, mode: MtlsMode.PERMISSIVE }] } }, prop: 'policies[0].portExceptions[0].mode', rule: /is the workload's own mode/,
    })),
    exceptablePort.map((port) => ({
      input: { ...base, workload: { mode: MtlsMode.STRICT, ports: [{ port, reason: REASON }, { port, reason: REASON }] } }, prop: 'policies[0].portExceptions[1].port', rule: /is excepted twice/,
    })),
    fc.constantFrom('strict', 'Strict', 'ON').map((mode) => ({
      input: { ...base, meshMode: mode as MtlsMode }, prop: 'meshMode', rule: /must be one of/,
    })),
    label.filter((ns) => ns !== 'shop').map((ns) => ({
      input: { ...base, meshMode: MtlsMode.STRICT, client: { ns, callsShop: true } }, prop: 'meshMode', rule: /cannot be STRICT while/,
    })),
    label.filter((ns) => ns !== 'shop').map((ns) => ({
      input: { ...base, rootNamespace: ns, namespaces: [{ ns, mode: MtlsMode.STRICT }] }, prop: 'policies[0].scope', rule: /is the root namespace/,
    })),
    fc.constant<Mistake>({ input: { ...base, inject: false, workload: { mode: MtlsMode.STRICT, ports: [] } }, prop: 'policies[0].scope', rule: /has no sidecar/ }),
  );

  test('one mistake in a valid input: our error, naming the prop and the rule', () => {
    fc.assert(fc.property(invalid, ({ input, prop, rule }) => {
      let thrown: unknown;
      try {
        build(input);
      } catch (e) {
        thrown = e;
      }
      expect(isLibraryError(thrown)).toBe(true);
      const text = String((thrown as Error).message);
      expect(text).toContain(`shop/mtls: ${prop} `);
      expect(text).toMatch(rule);
    }), { numRuns: 150, seed: 4243 });
  });
});
