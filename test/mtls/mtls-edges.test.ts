import { Chart, Testing } from 'cdk8s';
import { MeshedService, MtlsMigration, MtlsMode, MtlsPortException, MtlsScope, OutsideClient } from '../../src/index';
import { chart, only, synth } from '../util';

// Edges of MtlsMigration (issue 18): each test here fails when the guarded line is broken.
// Istio facts: pkg/config/validation/validation.go (1.30.3) ValidatePeerAuthentication refuses
// portLevelMtls on a policy without a selector ("mesh/namespace peer authentication cannot have
// port level mTLS"), an empty portLevelMtls map ("if defined, must have at least one element")
// and ports outside 1..65535. pilot/pkg/security/authn/policy_applier.go reads portLevelMtls of the
// workload policy only, keyed by the workload's port.

const PA = 'PeerAuthentication';

function workload(opts: { port?: number; servicePort?: number } = {}) {
  const { chart: c } = chart('shop');
  const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: opts.port ?? 8080, servicePort: opts.servicePort });
  return { c, api };
}

function withPorts(mode: MtlsMode | undefined, ports: MtlsPortException[], reason?: string, opts: { port?: number; servicePort?: number } = {}) {
  const { c, api } = workload(opts);
  new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(api), mode, reason, portExceptions: ports }] });
  return only(synth(c), PA, 'api');
}

const REASON = 'ten chars!'; // exactly MIN_REASON_LENGTH (10)

describe('MtlsMigration edges', () => {
  describe('port exceptions', () => {
    test('ports 1 and 65535 are accepted (both ends of checkPort)', () => {
      const pa = withPorts(MtlsMode.STRICT, [{ port: 1 }, { port: 65535 }]);
      expect(pa.spec.portLevelMtls).toEqual({ 1: { mode: 'PERMISSIVE' }, 65535: { mode: 'PERMISSIVE' } });
    });
    test.each([0, 65536, -1, 1.5])('port %p is refused', (port) => {
      expect(() => withPorts(MtlsMode.STRICT, [{ port }])).toThrow(/portExceptions\[0\]\.port must be a whole number from 1 to 65535/);
    });

    test.each([15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090])('the sidecar\'s own port %p is refused', (port) => {
      expect(() => withPorts(MtlsMode.STRICT, [{ port }])).toThrow(/portExceptions\[0\]\.port is a port of the sidecar itself.*got \d+: remove the exception/);
    });
    test.each([14999, 15002, 15007, 15010, 15091])('port %p next to the sidecar\'s ports is an app port', (port) => {
      expect(withPorts(MtlsMode.STRICT, [{ port }]).spec.portLevelMtls).toEqual({ [port]: { mode: 'PERMISSIVE' } });
    });

    test('a port the Service does not expose is accepted: Istio applies port-level mTLS to ports no Service exposes (pilot/pkg/networking/core/listener_inbound.go buildInboundPassthroughChains, 1.30.3)', () => {
      const pa = withPorts(MtlsMode.STRICT, [{ port: 9102 }], undefined, { port: 8080, servicePort: 80 });
      expect(pa.spec.portLevelMtls).toEqual({ 9102: { mode: 'PERMISSIVE' } });
    });
    test('the container port itself may be excepted when it equals the Service port', () => {
      const pa = withPorts(MtlsMode.STRICT, [{ port: 8080 }]);
      expect(pa.spec.portLevelMtls).toEqual({ 8080: { mode: 'PERMISSIVE' } });
    });
    test('the container port may be excepted when the Service port differs', () => {
      const pa = withPorts(MtlsMode.STRICT, [{ port: 8080 }], undefined, { port: 8080, servicePort: 80 });
      expect(pa.spec.portLevelMtls).toEqual({ 8080: { mode: 'PERMISSIVE' } });
    });
    test('the Service port is refused when it differs from the container port', () => {
      expect(() => withPorts(MtlsMode.STRICT, [{ port: 80 }], undefined, { port: 8080, servicePort: 80 }))
        .toThrow(/portExceptions\[0\]\.port is the Service port of api; Istio reads the container port here, got 80: use the container port, 8080/);
    });

    test('a second exception for another port is kept, a repeated one is refused at its index', () => {
      expect(withPorts(MtlsMode.STRICT, [{ port: 9102 }, { port: 9103 }]).spec.portLevelMtls).toEqual({ 9102: { mode: 'PERMISSIVE' }, 9103: { mode: 'PERMISSIVE' } });
      expect(() => withPorts(MtlsMode.STRICT, [{ port: 9102 }, { port: 9103 }, { port: 9102 }])).toThrow(/portExceptions\[2\]\.port is excepted twice, got 9102/);
    });

    test('no port exceptions: no portLevelMtls key at all (Istio refuses an empty map)', () => {
      const pa = withPorts(MtlsMode.STRICT, []);
      expect(pa.spec).toEqual({ selector: { matchLabels: { app: 'api' } }, mtls: { mode: 'STRICT' } });
      expect('portLevelMtls' in pa.spec).toBe(false);
    });

    test('the port mode defaults to PERMISSIVE: on a PERMISSIVE workload the default exception is refused as a no-op', () => {
      expect(() => withPorts(MtlsMode.PERMISSIVE, [{ port: 9102 }])).toThrow(/portExceptions\[0\]\.mode is the workload's own mode, so the exception does nothing, got "PERMISSIVE"/);
    });
    test('a STRICT port is refused on every workload mode', () => {
      for (const mode of [MtlsMode.STRICT, MtlsMode.PERMISSIVE]) {
        expect(() => withPorts(mode, [{ port: 9102, mode: MtlsMode.STRICT }])).toThrow(/portExceptions\[0\]\.mode must be PERMISSIVE or DISABLE/);
      }
      expect(() => withPorts(MtlsMode.DISABLE, [{ port: 9102, mode: MtlsMode.STRICT }], 'lab workload, TLS in the app'))
        .toThrow(/portExceptions\[0\]\.mode must be PERMISSIVE or DISABLE/);
    });
    test('a port mode that is not an MtlsMode is refused', () => {
      expect(() => withPorts(MtlsMode.STRICT, [{ port: 9102, mode: 'OFF' as any }])).toThrow(/portExceptions\[0\]\.mode must be one of PERMISSIVE, STRICT, DISABLE, got "OFF"/);
    });

    test('ports with selector-less policies are refused: a namespace policy, in any mode', () => {
      const { chart: c } = chart('shop');
      for (const [i, mode] of [MtlsMode.STRICT, MtlsMode.PERMISSIVE].entries()) {
        expect(() => new MtlsMigration(c, `m${i}`, { policies: [{ scope: MtlsScope.namespace('shop'), mode, portExceptions: [{ port: 9102 }] }] }))
          .toThrow(/policies\[0\]\.portExceptions cannot be set on a namespace-wide policy \(namespace "shop"\): Istio rejects portLevelMtls without a workload selector, got \[9102\]/);
      }
    });
    test('an empty port list on a namespace policy is no exception and writes no portLevelMtls', () => {
      const { chart: c } = chart('shop');
      new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.namespace('shop'), portExceptions: [] }] });
      expect(synth(c).find((o) => o.kind === PA && o.metadata.namespace === 'shop')?.spec).toEqual({ mtls: { mode: 'STRICT' } });
    });
    test('a port exception that is not an object is refused with its index', () => {
      expect(() => withPorts(MtlsMode.STRICT, [{ port: 9102 }, 9103 as any])).toThrow(/portExceptions\[1\]/);
    });
  });

  describe('DISABLE', () => {
    test('a DISABLE reason of exactly 10 characters is accepted, 9 are refused (mesh, namespace, workload and port)', () => {
      const nine = 'nine char';
      const { chart: c } = chart('shop');
      new MtlsMigration(c, 'mtls', { meshMode: MtlsMode.DISABLE, meshModeReason: REASON });
      expect(only(synth(c), PA).metadata.annotations).toEqual({ 'cdk8s-mesh.dev/reason': REASON });
      expect(() => new MtlsMigration(chart('shop').chart, 'mtls', { meshMode: MtlsMode.DISABLE, meshModeReason: nine }))
        .toThrow(/meshModeReason must state why meshMode is DISABLE, in at least 10 characters: DISABLE turns off encryption and peer identity, got "nine char"/);
      expect(() => new MtlsMigration(chart('shop').chart, 'mtls', { policies: [{ scope: MtlsScope.namespace('lab'), mode: MtlsMode.DISABLE, reason: nine }] }))
        .toThrow(/policies\[0\]\.reason must state why the mode of namespace "lab" is DISABLE/);
      expect(() => withPorts(MtlsMode.DISABLE, [], nine)).toThrow(/policies\[0\]\.reason must state why the mode of workload shop\/api is DISABLE/);
      expect(() => withPorts(MtlsMode.STRICT, [{ port: 8443, mode: MtlsMode.DISABLE, reason: nine }])).toThrow(/portExceptions\[0\]\.reason must state why port 8443 is DISABLE/);
      expect(withPorts(MtlsMode.STRICT, [{ port: 8443, mode: MtlsMode.DISABLE, reason: REASON }]).spec.portLevelMtls).toEqual({ 8443: { mode: 'DISABLE' } });
    });

    test('a namespace DISABLE is written as the namespace default policy with its reason', () => {
      const { chart: c } = chart('shop');
      new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.namespace('lab'), mode: MtlsMode.DISABLE, reason: '  lab namespace, TLS in the apps  ' }] });
      const pa = synth(c).find((o) => o.kind === PA && o.metadata.namespace === 'lab')!;
      expect(pa.metadata).toEqual({ name: 'default', namespace: 'lab', annotations: { 'cdk8s-mesh.dev/reason': 'lab namespace, TLS in the apps' } });
      expect(pa.spec).toEqual({ mtls: { mode: 'DISABLE' } });
    });

    test('a workload DISABLE: selector, mode DISABLE; a PERMISSIVE port on it is written, a DISABLE port is a no-op and refused', () => {
      const pa = withPorts(MtlsMode.DISABLE, [{ port: 9102 }], 'the app terminates TLS itself (SEC-9)');
      expect(pa.spec).toEqual({ selector: { matchLabels: { app: 'api' } }, mtls: { mode: 'DISABLE' }, portLevelMtls: { 9102: { mode: 'PERMISSIVE' } } });
      expect(pa.metadata.annotations).toEqual({ 'cdk8s-mesh.dev/reason': 'the app terminates TLS itself (SEC-9)' });
      expect(() => withPorts(MtlsMode.DISABLE, [{ port: 9102, mode: MtlsMode.DISABLE, reason: REASON }], 'the app terminates TLS itself (SEC-9)'))
        .toThrow(/portExceptions\[0\]\.mode is the workload's own mode, so the exception does nothing, got "DISABLE"/);
    });

    test('a PERMISSIVE port needs no reason; a given reason is annotated, trimmed, and a blank one is not', () => {
      const pa = withPorts(MtlsMode.STRICT, [{ port: 9102, reason: '  scraper  ' }, { port: 9103, reason: '   ' }]);
      expect(pa.metadata.annotations).toEqual({ 'cdk8s-mesh.dev/port-9102-reason': 'scraper' });
    });

    test('a non-DISABLE scope needs no reason, but a reason that is not a string is refused', () => {
      expect(withPorts(MtlsMode.PERMISSIVE, []).metadata.annotations).toBeUndefined();
      expect(() => withPorts(MtlsMode.PERMISSIVE, [], 42 as any)).toThrow(/policies\[0\]\.reason must be a string, got 42/);
    });

    test('DISABLE and PERMISSIVE scopes are not checked for plaintext callers; only STRICT is', () => {
      const { chart: c } = chart('shop');
      new MeshedService(c, 'legacy', { image: 'acme/legacy:1', port: 8080, injectSidecar: false });
      const m = new MtlsMigration(c, 'mtls', {
        meshMode: MtlsMode.DISABLE,
        meshModeReason: 'lab cluster without workload certificates',
        outsideClients: [OutsideClient.named('ops', 'cron')],
      });
      expect(synth(c).filter((o) => o.kind === PA)).toHaveLength(1);
      m.addPolicy({ scope: MtlsScope.namespace('shop'), mode: MtlsMode.PERMISSIVE });
      expect(synth(c).filter((o) => o.kind === PA)).toHaveLength(2);
      m.addPolicy({ scope: MtlsScope.namespace('other') });
      expect(() => synth(c)).toThrow(/mode of namespace "other" cannot be STRICT while outside client ops\/cron may call any workload/);
    });

    test('modeOf follows precedence: workload over namespace over mesh, DISABLE included', () => {
      const { app, chart: c } = chart('shop');
      const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
      const other = new MeshedService(c, 'other', { image: 'acme/other:1', port: 8080 });
      const elsewhere = new MeshedService(new Chart(app, 'x', { namespace: 'x' }), 'z', { image: 'acme/z:1', port: 8080 });
      const m = new MtlsMigration(c, 'mtls', {
        meshMode: MtlsMode.DISABLE,
        meshModeReason: 'lab cluster without workload certificates',
        policies: [{ scope: MtlsScope.namespace('shop'), mode: MtlsMode.PERMISSIVE }, { scope: MtlsScope.workload(api) }],
      });
      expect(m.modeOf(api)).toBe(MtlsMode.STRICT);
      expect(m.modeOf(other)).toBe(MtlsMode.PERMISSIVE);
      expect(m.modeOf(elsewhere)).toBe(MtlsMode.DISABLE);
    });
  });
});

describe('MtlsScope and OutsideClient checks', () => {
  test('a workload scope of something that is not a MeshedService is refused', () => {
    expect(() => new MtlsMigration(chart('shop').chart, 'mtls', { policies: [{ scope: MtlsScope.workload({ name: 'api' } as any) }] }))
      .toThrow(/policies\[0\]\.scope must name a MeshedService.*pass the MeshedService construct to MtlsScope\.workload/);
  });
  test('an outside client by workload that is not a MeshedService is refused', () => {
    expect(() => new MtlsMigration(chart('shop').chart, 'mtls', { outsideClients: [OutsideClient.workload({ name: 'api' } as any)] }))
      .toThrow(/outsideClients\[0\] must name a MeshedService.*OutsideClient\.workload/);
  });
  test('an outside client name must be a Kubernetes object name; dots are allowed', () => {
    expect(() => new MtlsMigration(chart('shop').chart, 'mtls', { outsideClients: [OutsideClient.named('legacy', 'Batch_Export')] }))
      .toThrow(/outsideClients\[0\] name must be a Kubernetes object name.*got "Batch_Export"/);
    const m = new MtlsMigration(chart('shop').chart, 'mtls', { outsideClients: [OutsideClient.named('legacy', 'batch.export')] });
    expect(m.outsideClients.map(String)).toEqual(['outside client legacy/batch.export']);
  });
  test('an outside client must call something: an empty list is refused, an unset one means the mesh', () => {
    expect(() => new MtlsMigration(chart('shop').chart, 'mtls', { outsideClients: [OutsideClient.named('legacy', 'cron', { calls: [] })] }))
      .toThrow(/outsideClients\[0\] calls must name at least one scope, got \[\]/);
    expect(OutsideClient.named('legacy', 'cron').calls.map((s) => s.kind)).toEqual(['mesh']);
  });
  test('calls that are not a list, or not scopes, are refused clearly (plain JavaScript)', () => {
    expect(() => new MtlsMigration(chart('shop').chart, 'mtls', { outsideClients: [OutsideClient.named('legacy', 'cron', { calls: 5 as any })] }))
      .toThrow(/outsideClients\[0\] calls must be a list of MtlsScope, got 5/);
    expect(() => new MtlsMigration(chart('shop').chart, 'mtls', { outsideClients: [OutsideClient.named('legacy', 'cron', { calls: ['shop'] as any })] }))
      .toThrow(/outsideClients\[0\] calls\[0\] must be an MtlsScope, got "shop"/);
    expect(() => new MtlsMigration(chart('shop').chart, 'mtls', { outsideClients: [OutsideClient.named('legacy', 'cron', null as any)] }))
      .not.toThrow();
  });
});

describe('annotation size', () => {
  // the API server's limit on all annotations of an object: 256 KiB (k8s apimachinery ValidateAnnotationsSize, TotalAnnotationSizeLimitB)
  const key = 'cdk8s-mesh.dev/reason';
  test('a mesh-wide reason that fits 256 KiB with its key is written; one byte more is refused', () => {
    const fits = 'x'.repeat(256 * 1024 - key.length);
    const { chart: c } = chart('shop');
    new MtlsMigration(c, 'mtls', { meshMode: MtlsMode.DISABLE, meshModeReason: fits });
    expect(only(synth(c), PA).metadata.annotations[key]).toHaveLength(fits.length);
    expect(() => new MtlsMigration(chart('shop').chart, 'mtls', { meshMode: MtlsMode.DISABLE, meshModeReason: fits + 'x' }))
      .toThrow(/meshModeReason must keep the object's annotations within 262144 bytes.*got "262145 bytes of annotations"/);
  });
  test('a workload policy counts its reason and its ports\' reasons together', () => {
    const half = 'x'.repeat(128 * 1024);
    expect(() => withPorts(MtlsMode.STRICT, [{ port: 9102, reason: half }], half)).toThrow(/policies\[0\]\.reason must keep the object's annotations within 262144 bytes/);
  });
});

describe('identity helpers', () => {
  test('isMtlsMigration', () => {
    expect(MtlsMigration.isMtlsMigration(new MtlsMigration(chart('shop').chart, 'mtls'))).toBe(true);
    expect(MtlsMigration.isMtlsMigration({})).toBe(false);
    expect(MtlsMigration.isMtlsMigration(null)).toBe(false);
    expect(MtlsMigration.isMtlsMigration('mtls')).toBe(false);
  });
  test('an outside client by workload without a namespace says so', () => {
    const c = new Chart(Testing.app(), 'test');
    const job = new MeshedService(c, 'job', { image: 'acme/job:1', port: 8080, injectSidecar: false });
    expect(String(OutsideClient.workload(job))).toBe('outside client (no namespace)/job (test/job, injectSidecar: false)');
  });
});
