import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import {
  IstioApiVersion, MeshedService, MeshRules, MtlsMigration, MtlsMigrationProps, MtlsMode, MtlsScope, MtlsScopeKind, OutsideClient,
} from '../../src/index';
import { all, chart, expectMeshError, Obj, only, synth, testValidated, validateWithShared } from '../util';

const PA = 'PeerAuthentication';

/** The shop: payments (payments, ledger), orders (orders, cart), reports (reporter, outside the mesh until stage 3). */
function shop(stage: number) {
  const app = Testing.app();
  const payments = new Chart(app, 'payments', { namespace: 'payments' });
  const orders = new Chart(app, 'orders', { namespace: 'orders' });
  const reports = new Chart(app, 'reports', { namespace: 'reports' });
  const platform = new Chart(app, 'platform');
  const svc = {
    payments: new MeshedService(payments, 'payments', { image: 'acme/payments:1', port: 8080 }),
    ledger: new MeshedService(payments, 'ledger', { image: 'acme/ledger:1', port: 8080, servicePort: 80, version: 'v3' }),
    orders: new MeshedService(orders, 'orders', { image: 'acme/orders:1', port: 8080 }),
    cart: new MeshedService(orders, 'cart', { image: 'acme/cart:1', port: 8080 }),
    reporter: new MeshedService(reports, 'reporter', { image: 'acme/reporter:1', port: 8080, injectSidecar: stage >= 3 }),
  };
  svc.ledger.addVersion('v4', { image: 'acme/ledger:2', replicas: 1 });
  return { app, platform, svc, charts: { payments, orders, reports } };
}

/** The migration as the user writes it at each stage (the same plan as examples/mtls-migration). */
function migration(stage: number, extra: Partial<MtlsMigrationProps> = {}) {
  const s = shop(stage);
  const scraper = { port: 9102, reason: 'legacy Prometheus without a mesh certificate scrapes /metrics' };
  const props: MtlsMigrationProps = stage === 1 ? {
    meshMode: MtlsMode.PERMISSIVE,
    policies: [{ scope: MtlsScope.namespace('payments') }],
    outsideClients: [OutsideClient.named('legacy', 'batch-export', { calls: [MtlsScope.workload(s.svc.orders)] })],
  } : stage === 2 ? {
    meshMode: MtlsMode.PERMISSIVE,
    policies: [
      { scope: MtlsScope.namespace('payments') },
      { scope: MtlsScope.workload(s.svc.ledger), portExceptions: [scraper] },
      { scope: MtlsScope.namespace('orders') },
      { scope: MtlsScope.workload(s.svc.orders), mode: MtlsMode.PERMISSIVE, reason: 'batch-export calls it in plaintext until OPS-42' },
    ],
    outsideClients: [OutsideClient.named('legacy', 'batch-export', { calls: [MtlsScope.workload(s.svc.orders)] })],
  } : {
    meshMode: MtlsMode.STRICT,
    policies: [{ scope: MtlsScope.workload(s.svc.ledger), portExceptions: [scraper] }],
  };
  const m = new MtlsMigration(s.platform, 'mtls', { ...props, ...extra });
  return { ...s, m };
}

function synthAll(app: App): Obj[] {
  return app.charts.flatMap((c) => Testing.synth(c) as Obj[]);
}

function policies(objs: Obj[]): Record<string, Obj> {
  return Object.fromEntries(all(objs, PA).map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
}

describe('MtlsMigration', () => {
  test('defaults: one mesh-wide PERMISSIVE policy in istio-system, nothing else', () => {
    const { chart: c } = chart();
    new MtlsMigration(c, 'mtls');
    const objs = synth(c);
    expect(objs).toHaveLength(1);
    const pa = only(objs, PA);
    expect(pa.apiVersion).toBe('security.istio.io/v1');
    expect(pa.metadata).toEqual({ name: 'default', namespace: 'istio-system' });
    expect(pa.spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
    expect(objs).toMatchSnapshot();
  });

  test('stage 1: mesh PERMISSIVE, namespace payments STRICT', () => {
    const { app } = migration(1);
    const objs = synthAll(app);
    const pas = policies(objs);
    expect(Object.keys(pas).sort()).toEqual(['istio-system/default', 'payments/default']);
    expect(pas['istio-system/default'].spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
    expect(pas['payments/default'].spec).toEqual({ mtls: { mode: 'STRICT' } }); // namespace-wide: no selector
    expect(all(objs, PA)).toMatchSnapshot();
  });

  test('stage 2: more namespaces STRICT, a workload held PERMISSIVE for a declared client, a port exception', () => {
    const { app, m, svc } = migration(2);
    const objs = synthAll(app);
    const pas = policies(objs);
    expect(Object.keys(pas).sort()).toEqual(['istio-system/default', 'orders/default', 'orders/orders', 'payments/default', 'payments/ledger']);
    expect(pas['orders/default'].spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(pas['orders/orders'].spec).toEqual({ selector: { matchLabels: { app: 'orders' } }, mtls: { mode: 'PERMISSIVE' } });
    expect(pas['orders/orders'].metadata.annotations).toEqual({ 'cdk8s-mesh.dev/reason': 'batch-export calls it in plaintext until OPS-42' });
    expect(pas['payments/ledger'].spec).toEqual({
      selector: { matchLabels: { app: 'ledger' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 9102: { mode: 'PERMISSIVE' } },
    });
    expect(pas['payments/ledger'].metadata.annotations).toEqual({
      'cdk8s-mesh.dev/port-9102-reason': 'legacy Prometheus without a mesh certificate scrapes /metrics',
    });
    // Istio's precedence: workload, then namespace, then mesh
    expect(m.modeOf(svc.orders)).toBe(MtlsMode.PERMISSIVE);
    expect(m.modeOf(svc.cart)).toBe(MtlsMode.STRICT);
    expect(m.modeOf(svc.payments)).toBe(MtlsMode.STRICT);
    expect(m.modeOf(svc.reporter)).toBe(MtlsMode.PERMISSIVE);
    expect(all(objs, PA)).toMatchSnapshot();
  });

  test('stage 3: mesh STRICT once nothing is outside the mesh', () => {
    const { app, m, svc } = migration(3);
    const objs = synthAll(app);
    const pas = policies(objs);
    expect(Object.keys(pas).sort()).toEqual(['istio-system/default', 'payments/ledger']);
    expect(pas['istio-system/default'].spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(m.modeOf(svc.reporter)).toBe(MtlsMode.STRICT);
    expect(all(objs, PA)).toMatchSnapshot();
  });

  test('workload selectors equal the pod labels of every version of the service', () => {
    const { app, svc } = migration(2);
    const objs = synthAll(app);
    const ledgerPa = only(objs, PA, 'ledger');
    const selector = ledgerPa.spec.selector.matchLabels;
    expect(selector).toEqual(svc.ledger.selectorLabels);
    // every version's pods: the workload selector is the app label, not the host Service's (which follows the primary version)
    expect(selector).toEqual({ app: 'ledger' });
    const deployments = all(objs, 'Deployment').filter((d) => d.metadata.namespace === 'payments' && (d.metadata.name ?? '').startsWith('ledger-'));
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['ledger-v3', 'ledger-v4']);
    for (const d of deployments) {
      const podLabels = d.spec.template.metadata.labels;
      for (const [k, v] of Object.entries(selector)) expect(podLabels[k]).toBe(v);
    }
    // and selects nothing else in the namespace
    const others = all(objs, 'Deployment').filter((d) => d.metadata.namespace === 'payments' && !(d.metadata.name ?? '').startsWith('ledger-'));
    for (const d of others) expect(d.spec.template.metadata.labels.app).not.toBe(selector.app);
    expect(ledgerPa.metadata.namespace).toBe(only(objs, 'Service', 'ledger').metadata.namespace);
  });

  test('port exceptions: PERMISSIVE and DISABLE ports on a STRICT workload, keyed by container port', () => {
    const { chart: c } = chart('shop');
    const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080, servicePort: 80 });
    new MtlsMigration(c, 'mtls', {
      policies: [{
        scope: MtlsScope.workload(api),
        portExceptions: [
          { port: 9102 },
          { port: 8443, mode: MtlsMode.DISABLE, reason: 'the app terminates TLS itself on 8443 (SEC-7)' },
        ],
      }],
    });
    const pa = only(synth(c), PA, 'api');
    expect(pa.metadata.namespace).toBe('shop');
    expect(pa.spec).toEqual({
      selector: { matchLabels: { app: 'api' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 8443: { mode: 'DISABLE' }, 9102: { mode: 'PERMISSIVE' } },
    });
    expect(pa.metadata.annotations).toEqual({ 'cdk8s-mesh.dev/port-8443-reason': 'the app terminates TLS itself on 8443 (SEC-7)' });
    expect(pa).toMatchSnapshot();
  });

  test('a PERMISSIVE workload may keep one port plaintext with DISABLE', () => {
    const { chart: c } = chart('shop');
    const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
    new MtlsMigration(c, 'mtls', {
      policies: [{ scope: MtlsScope.workload(api), mode: MtlsMode.PERMISSIVE, portExceptions: [{ port: 7000, mode: MtlsMode.DISABLE, reason: 'memcached protocol peers, no TLS' }] }],
    });
    expect(only(synth(c), PA, 'api').spec.portLevelMtls).toEqual({ 7000: { mode: 'DISABLE' } });
  });

  test('V1BETA1 writes security.istio.io/v1beta1 with the same spec', () => {
    const build = (v: IstioApiVersion) => {
      const { app } = migration(2, { istioApiVersion: v });
      return all(synthAll(app), PA);
    };
    const beta = build(IstioApiVersion.V1BETA1);
    const v1 = build(IstioApiVersion.V1);
    expect(beta.map((o) => o.apiVersion)).toEqual(beta.map(() => 'security.istio.io/v1beta1'));
    expect(v1.map((o) => o.apiVersion)).toEqual(v1.map(() => 'security.istio.io/v1'));
    expect(beta.map((o) => o.spec)).toEqual(v1.map((o) => o.spec));
    expect(beta).toMatchSnapshot();
  });

  test('a custom root namespace carries the mesh-wide policy; DISABLE with a reason is annotated', () => {
    const { chart: c } = chart();
    new MtlsMigration(c, 'mtls', { rootNamespace: 'mesh-root', meshMode: MtlsMode.DISABLE, meshModeReason: 'lab cluster, no workload certificates yet' });
    const pa = only(synth(c), PA);
    expect(pa.metadata).toEqual({ name: 'default', namespace: 'mesh-root', annotations: { 'cdk8s-mesh.dev/reason': 'lab cluster, no workload certificates yet' } });
    expect(pa.spec).toEqual({ mtls: { mode: 'DISABLE' } });
  });

  test('policies and clients added after construction reach the YAML and the checks', () => {
    const { chart: c } = chart('shop');
    const m = new MtlsMigration(c, 'mtls');
    const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
    const obj = m.addPolicy({ scope: MtlsScope.workload(api) });
    expect(m.policyObject(MtlsScope.workload(api))).toBe(obj);
    expect(m.policyObject(MtlsScope.mesh())).toBe(m.meshPolicy);
    expect(only(synth(c), PA, 'api').spec.mtls.mode).toBe('STRICT');
    expect(m.policies).toEqual([{ scope: expect.any(MtlsScope), mode: MtlsMode.STRICT, reason: undefined, portExceptions: [] }]);
    expect(m.policies[0].scope.kind).toBe(MtlsScopeKind.WORKLOAD);
    m.addOutsideClient(OutsideClient.named('legacy', 'cron', { calls: [MtlsScope.workload(api)] }));
    expect(m.outsideClients.map(String)).toEqual(['outside client legacy/cron']);
    expectMeshError(() => synth(c), 'test/mtls', /mode of workload shop\/api cannot be STRICT while outside client legacy\/cron calls workload shop\/api/);
  });

  test('STRICT is allowed where a client calls only a workload held PERMISSIVE (precedence)', () => {
    const { app } = migration(2);
    expect(() => synthAll(app)).not.toThrow();
  });

  test('a client calling only workloads outside the mesh blocks nothing', () => {
    const { chart: c } = chart('shop');
    const legacy = new MeshedService(c, 'legacy', { image: 'acme/legacy:1', port: 8080, injectSidecar: false });
    const other = new Chart(c.node.scope as App, 'other', { namespace: 'other' });
    new MtlsMigration(other, 'mtls', {
      policies: [{ scope: MtlsScope.namespace('payments') }],
      outsideClients: [OutsideClient.named('legacy', 'cron', { calls: [MtlsScope.workload(legacy)] })],
    });
    expect(() => synth(other)).not.toThrow();
  });

  testValidated('every stage and variant passes the shared validator (Istio 1.22.8 and 1.30.3)', () => {
    const outputs = [1, 2, 3].map((stage) => synthAll(migration(stage).app));
    outputs.push(synthAll(migration(2, { istioApiVersion: IstioApiVersion.V1BETA1 }).app));
    const { chart: c } = chart('shop');
    const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
    new MtlsMigration(c, 'mtls', {
      meshMode: MtlsMode.DISABLE,
      meshModeReason: 'every workload still terminates TLS itself',
      policies: [{ scope: MtlsScope.workload(api), portExceptions: [{ port: 9102 }, { port: 8443, mode: MtlsMode.DISABLE, reason: 'TLS passthrough port' }] }],
    });
    outputs.push(synth(c));
    expect(validateWithShared(outputs)).toEqual([]);
  });

  test('the mesh rules find nothing in any stage, and agree with the checks when a STRICT is forced past them', () => {
    for (const stage of [1, 2, 3]) {
      expect(MeshRules.check(migration(stage).app).map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    }
    // forced through the escape hatch: STRICT over a workload without a sidecar is not enforced
    // (no sidecar to enforce it; client sidecars send it plaintext with auto-mTLS), so MESH-MTLS-001,
    // which reports sidecar-less *clients* of STRICT peers, has nothing to say
    const { app, m } = migration(1);
    m.policyObject(MtlsScope.namespace('payments'))!.addJsonPatch(JsonPatch.replace('/metadata/namespace', 'reports'));
    expect(MeshRules.check(app).map((f) => f.ruleId)).not.toContain('MESH-MTLS-001');
  });

  describe('checks at synth', () => {
    test('fails when a STRICT namespace contains a workload without a sidecar', () => {
      const { app } = migration(1, { policies: [{ scope: MtlsScope.namespace('reports') }] });
      expectMeshError(() => synthAll(app), 'platform/mtls',
        /mode of namespace "reports" cannot be STRICT while workload reports\/reporter \(reports\/reporter\) has no sidecar.*got "STRICT": inject its sidecar \(injectSidecar: true\), or keep namespace "reports" PERMISSIVE until then/);
    });

    test('fails when a workload without a sidecar is added after the migration', () => {
      const { chart: c } = chart('shop');
      new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.namespace('shop') }] });
      new MeshedService(c, 'late', { image: 'acme/late:1', port: 8080, injectSidecar: false });
      expectMeshError(() => synth(c), 'test/mtls', /namespace "shop" cannot be STRICT while workload shop\/late \(test\/late\) has no sidecar/);
    });

    test('fails when a caller without a sidecar in another namespace talksTo a STRICT workload (dependency graph)', () => {
      const { app, svc } = migration(1);
      svc.reporter.talksTo(svc.payments);
      expectMeshError(() => synthAll(app), 'platform/mtls',
        /mode of namespace "payments" cannot be STRICT while workload reports\/reporter \(reports\/reporter\) has no sidecar and talksTo payments\/payments: its plaintext calls would be refused, got "STRICT": inject the sidecar of reports\/reporter/);
    });

    test('a caller without a sidecar does not block STRICT elsewhere while its callee stays PERMISSIVE', () => {
      const { app, svc } = migration(1);
      svc.reporter.talksTo(svc.orders);
      // the graph refuses the call itself (no mTLS identity for orders' AuthorizationPolicy); the migration does not object
      expect(() => synthAll(app)).toThrow(/\[reports\/reporter\/Dependencies\] reports\/reporter: talksTo would be denied/);
      expect(() => synthAll(app)).not.toThrow(/platform\/mtls/);
    });

    test('fails when a declared outside client calls a STRICT namespace', () => {
      const { app } = migration(1, {
        outsideClients: [OutsideClient.named('legacy', 'batch-export', { calls: [MtlsScope.namespace('payments')] })],
      });
      expectMeshError(() => synthAll(app), 'platform/mtls',
        /mode of namespace "payments" cannot be STRICT while outside client legacy\/batch-export calls namespace "payments", got "STRICT": bring legacy\/batch-export into the mesh \(inject its sidecar\), or keep namespace "payments" PERMISSIVE until then/);
    });

    test('fails when a declared outside client calls a workload that a STRICT namespace governs', () => {
      const s = shop(1);
      new MtlsMigration(s.platform, 'mtls', {
        policies: [{ scope: MtlsScope.namespace('payments') }],
        outsideClients: [OutsideClient.named('legacy', 'batch-export', { calls: [MtlsScope.workload(s.svc.ledger)] })],
      });
      expectMeshError(() => synthAll(s.app), 'platform/mtls', /namespace "payments" cannot be STRICT while outside client legacy\/batch-export calls workload payments\/ledger.*hold workload payments\/ledger back with a PERMISSIVE policy of its own/);
    });

    test('fails when a declared outside client calls a STRICT workload', () => {
      const s = shop(1);
      new MtlsMigration(s.platform, 'mtls', {
        policies: [{ scope: MtlsScope.workload(s.svc.cart) }],
        outsideClients: [OutsideClient.named('legacy', 'batch-export', { calls: [MtlsScope.namespace('orders')] })],
      });
      expectMeshError(() => synthAll(s.app), 'platform/mtls', /mode of workload orders\/cart cannot be STRICT while outside client legacy\/batch-export calls namespace "orders"/);
    });

    test('fails when an outside client without declared calls meets any STRICT', () => {
      const { app } = migration(1, { outsideClients: [OutsideClient.named('legacy', 'prober')] });
      expectMeshError(() => synthAll(app), 'platform/mtls',
        /namespace "payments" cannot be STRICT while outside client legacy\/prober may call any workload.*declare what it calls \(calls: \[\.\.\.\]\) if that is not namespace "payments"/);
    });

    test('fails when a workload of the app declared as an outside client calls a STRICT namespace', () => {
      const s = shop(1);
      new MtlsMigration(s.platform, 'mtls', {
        policies: [{ scope: MtlsScope.namespace('payments') }],
        outsideClients: [OutsideClient.workload(s.svc.reporter, { calls: [MtlsScope.workload(s.svc.payments)] })],
      });
      expectMeshError(() => synthAll(s.app), 'platform/mtls',
        /namespace "payments" cannot be STRICT while outside client reports\/reporter \(reports\/reporter, injectSidecar: false\) calls workload payments\/payments.*inject the sidecar of reports\/reporter/);
    });

    test('fails when the mesh is STRICT while a workload is outside the mesh, even in a PERMISSIVE namespace', () => {
      const s = shop(1);
      new MtlsMigration(s.platform, 'mtls', {
        meshMode: MtlsMode.STRICT,
        policies: [{ scope: MtlsScope.namespace('reports'), mode: MtlsMode.PERMISSIVE }],
      });
      expectMeshError(() => synthAll(s.app), 'platform/mtls',
        /meshMode cannot be STRICT while workload reports\/reporter .*has no sidecar.*mesh-wide STRICT is the last stage.*keep meshMode PERMISSIVE and move namespaces to STRICT one by one until then/);
    });

    test('fails when the mesh is STRICT while an outside client is declared', () => {
      const { app } = migration(3, {
        outsideClients: [OutsideClient.named('legacy', 'batch-export', { calls: [MtlsScope.namespace('legacy')] })],
      });
      expectMeshError(() => synthAll(app), 'platform/mtls', /meshMode cannot be STRICT while outside client legacy\/batch-export calls namespace "legacy"/);
    });

    test('fails when port exceptions are set on a namespace-wide policy', () => {
      const { chart: c } = chart();
      expectMeshError(() => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.namespace('shop'), portExceptions: [{ port: 9102 }] }] }),
        'test/mtls', /policies\[0\]\.portExceptions cannot be set on a namespace-wide policy \(namespace "shop"\): Istio rejects portLevelMtls without a workload selector, got \[9102\]: add a policy for MtlsScope\.workload/);
    });

    test('fails when a policy is given the mesh scope (the mesh-wide policy takes no port exceptions)', () => {
      const { chart: c } = chart();
      expectMeshError(() => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.mesh(), portExceptions: [{ port: 9102 }] }] }),
        'test/mtls', /policies\[0\]\.scope cannot be a policy: the mesh-wide policy comes from meshMode.*set meshMode/);
    });

    test('fails when one migration has two policies for the same namespace', () => {
      const { chart: c } = chart();
      expectMeshError(() => new MtlsMigration(c, 'mtls', {
        policies: [{ scope: MtlsScope.namespace('payments') }, { scope: MtlsScope.namespace('payments'), mode: MtlsMode.PERMISSIVE }],
      }), 'test/mtls', /policies\[1\]\.scope already has a policy in this migration.*got "namespace \\"payments\\"".*keep one policy per namespace or workload/);
    });

    test('fails when one migration has two policies for the same workload', () => {
      const { chart: c } = chart();
      const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
      const m = new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(api) }] });
      expectMeshError(() => m.addPolicy({ scope: MtlsScope.workload(api), mode: MtlsMode.PERMISSIVE }), 'test/mtls', /policies\[1\]\.scope already has a policy.*workload shop\/api/);
    });

    test('fails when two migrations in one app write policies for the same scope', () => {
      const app = Testing.app();
      const a = new Chart(app, 'a');
      const b = new Chart(app, 'b');
      new MtlsMigration(a, 'mtls', { policies: [{ scope: MtlsScope.namespace('payments') }] });
      new MtlsMigration(b, 'mtls', { policies: [{ scope: MtlsScope.namespace('payments'), mode: MtlsMode.PERMISSIVE }] });
      expectMeshError(() => Testing.synth(b), 'b/mtls', /policy for namespace "payments" duplicates the policy of a\/mtls: both write PeerAuthentication payments\/default/);
      expectMeshError(() => Testing.synth(b), 'b/mtls', /meshMode duplicates the policy of a\/mtls: both write PeerAuthentication istio-system\/default.*keep one MtlsMigration per app/);
    });

    test('fails when the mesh is DISABLE without a reason', () => {
      const { chart: c } = chart();
      expectMeshError(() => new MtlsMigration(c, 'mtls', { meshMode: MtlsMode.DISABLE }), 'test/mtls',
        /meshModeReason must state why meshMode is DISABLE, in at least 10 characters.*got nothing: say why/);
    });

    test('fails when a namespace is DISABLE with a too-short reason', () => {
      const { chart: c } = chart();
      expectMeshError(() => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.namespace('lab'), mode: MtlsMode.DISABLE, reason: ' legacy   ' }] }),
        'test/mtls', /policies\[0\]\.reason must state why the mode of namespace "lab" is DISABLE.*got " legacy   "/);
    });

    test('fails when a port is DISABLE without a reason', () => {
      const { chart: c } = chart();
      const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
      expectMeshError(() => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(api), portExceptions: [{ port: 8443, mode: MtlsMode.DISABLE }] }] }),
        'test/mtls', /policies\[0\]\.portExceptions\[0\]\.reason must state why port 8443 is DISABLE/);
    });

    test('fails when a policy namespace is not a DNS-1123 label', () => {
      const { chart: c } = chart();
      expectMeshError(() => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.namespace('Payments_NS') }] }),
        'test/mtls', /policies\[0\]\.scope namespace must be a DNS-1123 label.*got "Payments_NS".*"payments-ns"/);
    });

    test('fails when the root namespace is not a DNS-1123 label', () => {
      const { chart: c } = chart();
      expectMeshError(() => new MtlsMigration(c, 'mtls', { rootNamespace: 'istio.system' }), 'test/mtls', /rootNamespace must be a DNS-1123 label.*got "istio.system"/);
    });

    test('fails when an outside client\'s namespace or calls are not DNS-1123 labels', () => {
      const { chart: c } = chart();
      expectMeshError(() => new MtlsMigration(c, 'mtls', { outsideClients: [OutsideClient.named('Legacy', 'cron')] }),
        'test/mtls', /outsideClients\[0\] namespace must be a DNS-1123 label.*got "Legacy"/);
      expectMeshError(() => new MtlsMigration(c, 'mtls2', { outsideClients: [OutsideClient.named('legacy', 'cron', { calls: [MtlsScope.namespace('-x')] })] }),
        'test/mtls2', /outsideClients\[0\] calls\[0\] namespace must be a DNS-1123 label.*got "-x"/);
    });

    test('fails when the root namespace is given a namespace policy', () => {
      const { chart: c } = chart();
      new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.namespace('istio-system') }] });
      // the root namespace is an app-wide fact, known at synth
      expectMeshError(() => synth(c), 'test/mtls', /policies\[0\]\.scope is the root namespace.*got "istio-system": set meshMode/);
    });

    test('fails when a workload policy names a workload without a sidecar', () => {
      const { chart: c } = chart();
      const legacy = new MeshedService(c, 'legacy', { image: 'acme/legacy:1', port: 8080, injectSidecar: false });
      expectMeshError(() => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(legacy), mode: MtlsMode.PERMISSIVE }] }),
        'test/mtls', /policies\[0\]\.scope has no sidecar \(injectSidecar: false\).*got "test\/legacy"/);
    });

    test('fails when a workload has no known namespace', () => {
      const c = new Chart(Testing.app(), 'test'); // no namespace on the chart or the service
      const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
      expectMeshError(() => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(api) }] }),
        'test/mtls', /policies\[0\]\.scope has no known namespace.*set namespace on the MeshedService or on its Chart/);
    });

    test('fails when a workload runs in the root namespace', () => {
      const { chart: c } = chart('istio-system');
      const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
      new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(api) }] });
      expectMeshError(() => synth(c), 'test/mtls',
        /runs in the root namespace "istio-system", where Istio applies a PeerAuthentication with a selector to matching workloads of every namespace/);
    });

    test('fails when a workload named "default" would overwrite its namespace policy', () => {
      const { chart: c } = chart();
      const d = new MeshedService(c, 'default', { image: 'acme/d:1', port: 8080 });
      expectMeshError(() => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.namespace('shop') }, { scope: MtlsScope.workload(d) }] }),
        'test/mtls', /would write PeerAuthentication shop\/default, which namespace "shop" already writes/);
    });

    describe('port exceptions', () => {
      const make = (port: any, svcProps: any = {}) => () => {
        const { chart: c } = chart();
        const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080, ...svcProps });
        new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(api), portExceptions: [port] }] });
      };
      test('fails when the port is out of range', () => expectMeshError(make({ port: 70000 }), 'test/mtls', /portExceptions\[0\]\.port must be a whole number from 1 to 65535, got 70000/));
      test('fails when the port is the Service port, not the container port', () => expectMeshError(make({ port: 80 }, { servicePort: 80 }), 'test/mtls',
        /portExceptions\[0\]\.port is the Service port of api; Istio reads the container port here, got 80: use the container port, 8080/));
      test('fails when the port is the sidecar\'s own', () => expectMeshError(make({ port: 15020 }), 'test/mtls', /port is a port of the sidecar itself.*got 15020/));
      test('fails when the port exception is STRICT', () => expectMeshError(make({ port: 9102, mode: MtlsMode.STRICT }), 'test/mtls', /portExceptions\[0\]\.mode must be PERMISSIVE or DISABLE/));
      test('fails when the port exception has the workload\'s own mode', () => {
        const { chart: c } = chart();
        const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
        expectMeshError(() => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(api), mode: MtlsMode.PERMISSIVE, portExceptions: [{ port: 9102 }] }] }),
          'test/mtls', /portExceptions\[0\]\.mode is the workload's own mode, so the exception does nothing, got "PERMISSIVE"/);
      });
      test('fails when a port is excepted twice', () => {
        const { chart: c } = chart();
        const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
        expectMeshError(() => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(api), portExceptions: [{ port: 9102 }, { port: 9102 }] }] }),
          'test/mtls', /portExceptions\[1\]\.port is excepted twice, got 9102/);
      });
    });

    test('fails when a workload with a sidecar is declared as an outside client', () => {
      const { chart: c } = chart();
      const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
      expectMeshError(() => new MtlsMigration(c, 'mtls', { outsideClients: [OutsideClient.workload(api)] }),
        'test/mtls', /outsideClients\[0\] has a sidecar, so it calls with mTLS and is not an outside client, got "test\/api"/);
    });

    test('fails when a named outside client is a meshed service of the app', () => {
      const { chart: c } = chart();
      new MeshedService(c, 'api', { image: 'acme/api:1', port: 8080 });
      new MtlsMigration(c, 'mtls', { outsideClients: [OutsideClient.named('shop', 'api', { calls: [MtlsScope.namespace('x')] })] });
      expectMeshError(() => synth(c), 'test/mtls', /outsideClients is a MeshedService with a sidecar \(test\/api\)/);
    });

    test('fails when the same outside client is declared twice', () => {
      const { chart: c } = chart();
      const m = new MtlsMigration(c, 'mtls', { outsideClients: [OutsideClient.named('legacy', 'cron')] });
      expectMeshError(() => m.addOutsideClient(OutsideClient.named('legacy', 'cron')), 'test/mtls', /outsideClients\[1\] is already declared/);
    });

    test('fails when a mode is not an MtlsMode', () => {
      const { chart: c } = chart();
      expectMeshError(() => new MtlsMigration(c, 'mtls', { meshMode: 'strict' as any }), 'test/mtls', /meshMode must be one of PERMISSIVE, STRICT, DISABLE, got "strict"/);
    });
  });
});
