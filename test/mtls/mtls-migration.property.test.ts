import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { MeshedService, MtlsMigration, MtlsMode, MtlsPortException, MtlsScope, OutsideClient } from '../../src/index';
import { ForValidator, isLibraryError, Obj } from '../util';

const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,12}[a-z0-9])?$/);
// Mostly valid input, so both outcomes are common: valid YAML and our error.
const namespace = fc.oneof({ weight: 9, arbitrary: label }, { weight: 1, arbitrary: fc.string({ maxLength: 70 }) });
// 'strict' stands for what a JavaScript user may pass: not an MtlsMode.
const mode = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(MtlsMode.PERMISSIVE, MtlsMode.STRICT) },
  { weight: 1, arbitrary: fc.constantFrom(MtlsMode.DISABLE, 'strict' as MtlsMode) },
);
const reason = fc.oneof(
  { weight: 3, arbitrary: fc.constant('the app terminates TLS itself (SEC-1)') },
  { weight: 1, arbitrary: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }) },
);
const port: fc.Arbitrary<MtlsPortException> = fc.record({
  port: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 65535 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 80, 8080, 15020, 70000, 1.5) },
  ),
  mode: fc.option(mode, { nil: undefined }),
  reason,
});
const input = fc.record({
  meshMode: fc.option(mode, { nil: undefined }),
  meshModeReason: reason,
  rootNamespace: fc.option(namespace, { nil: undefined }),
  namespaces: fc.array(fc.record({ ns: namespace, mode: fc.option(mode, { nil: undefined }), reason }), { maxLength: 3 }),
  workload: fc.option(fc.record({
    inject: fc.boolean(), mode: fc.option(mode, { nil: undefined }), reason, ports: fc.array(port, { maxLength: 2 }),
  }), { nil: undefined }),
  client: fc.option(fc.record({ ns: namespace, callsShop: fc.boolean() }), { nil: undefined, freq: 3 }),
});

describe('MtlsMigration (properties)', () => {
  const validated = new ForValidator();
  test('any input synthesizes PeerAuthentications or fails with our error, never a crash', () => {
    const outputs: Obj[][] = [];
    fc.assert(fc.property(input, (i) => {
      const app = Testing.app();
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      try {
        const api = new MeshedService(shop, 'api', {
          image: 'acme/api:1', port: 8080, servicePort: 80, injectSidecar: i.workload?.inject ?? true,
        });
        const m = new MtlsMigration(shop, 'mtls', { meshMode: i.meshMode, meshModeReason: i.meshModeReason, rootNamespace: i.rootNamespace });
        for (const n of i.namespaces) m.addPolicy({ scope: MtlsScope.namespace(n.ns), mode: n.mode, reason: n.reason });
        const w = i.workload;
        if (w) m.addPolicy({ scope: MtlsScope.workload(api), mode: w.mode, reason: w.reason, portExceptions: w.ports });
        if (i.client) m.addOutsideClient(OutsideClient.named(i.client.ns, 'cron', { calls: i.client.callsShop ? [MtlsScope.namespace('shop')] : undefined }));
        const objs = Testing.synth(shop) as Obj[];
        const pas = objs.filter((o) => o.kind === 'PeerAuthentication');
        expect(pas.length).toBe(1 + i.namespaces.length + (i.workload ? 1 : 0));
        expect(JSON.stringify(pas)).not.toMatch(/undefined|null/);
        for (const pa of pas) if (pa.spec.portLevelMtls) expect(pa.spec.selector.matchLabels).toEqual({ app: 'api' });
        outputs.push(pas);
      } catch (e) {
        if (!isLibraryError(e)) throw e;
      }
    }), { numRuns: 300, seed: 4242 });
    // the generator reaches both outcomes
    expect(outputs.length).toBeGreaterThan(20);
    expect(outputs.length).toBeLessThan(300);
    validated.add(...outputs);
  });
  validated.test('the generated PeerAuthentications pass the shared strict validator');
});
