// Issue 12: one root namespace for the whole app, read by every construct and rule at synth.
import { App, Chart, Testing, YamlOutputType } from 'cdk8s';
import { expectMeshError, ForValidator, Obj, only } from './util';
import {
  CallerIdentity, DefaultDeny, Mesh, MeshedService, MtlsMigration, MtlsMode, MtlsScope, TracingProvider, TracingSampling, TunedControlPlane,
} from '../src/index';
import { runRules } from '../src/rules/engine';
import { MeshObjects } from '../src/rules/mesh-objects';

/** An app whose control plane lives in `mesh-system`, with workloads in `shop` (one file per resource, as istioctl needs). */
function meshSystemApp(cpProps: ConstructorParameters<typeof TunedControlPlane>[2] = {}) {
  const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
  const control = new Chart(app, 'control');
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  // the workloads come first: the root namespace is read at synth, not when a construct is made
  const web = new MeshedService(shop, 'web', { image: 'acme/web:1', port: 8080 });
  const api = new MeshedService(shop, 'api', { image: 'acme/api:1', port: 8080 });
  web.talksTo(api);
  api.allowCallsFrom(CallerIdentity.ingressGateway());
  const cp = new TunedControlPlane(control, 'istio', { namespace: 'mesh-system', ...cpProps });
  return { app, control, shop, web, api, cp };
}

function synthApp(app: App): Obj[] {
  return app.charts.flatMap((c) => Testing.synth(c) as Obj[]);
}

describe('the mesh root namespace', () => {
  const validated = new ForValidator();
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  test('a TunedControlPlane in mesh-system makes mesh-system the root of Sidecar egress, the gateway principal and the mesh-wide PeerAuthentication', () => {
    const { app, shop } = meshSystemApp();
    new MtlsMigration(shop, 'mtls', { meshMode: MtlsMode.PERMISSIVE, policies: [{ scope: MtlsScope.namespace('shop'), mode: MtlsMode.STRICT }] });
    expect(Mesh.rootNamespaceOf(shop)).toBe('mesh-system');
    const objs = synthApp(app);
    expect(only(objs, 'Sidecar', 'web').spec.egress).toEqual([{ hosts: ['mesh-system/*', 'shop/api.shop.svc.cluster.local'] }]);
    expect(only(objs, 'AuthorizationPolicy', 'api').spec.rules[0].from).toEqual([
      { source: { principals: ['cluster.local/ns/mesh-system/sa/istio-ingressgateway-service-account', 'cluster.local/ns/shop/sa/web'] } },
    ]);
    const meshPolicy = objs.filter((o) => o.kind === 'PeerAuthentication' && o.metadata.name === 'default' && o.metadata.namespace !== 'shop');
    expect(meshPolicy.map((o) => o.metadata.namespace)).toEqual(['mesh-system']);
    expect(JSON.stringify(objs)).not.toContain('istio-system');
    validated.add(objs);
  });

  test('without a TunedControlPlane the app can say where its control plane lives, once', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const web = new MeshedService(shop, 'web', { image: 'acme/web:1', port: 8080 });
    const api = new MeshedService(shop, 'api', { image: 'acme/api:1', port: 8080 });
    web.talksTo(api);
    expect(Mesh.rootNamespaceOf(app)).toBe('istio-system');
    Mesh.declareRootNamespace(app, 'corp-mesh');
    Mesh.declareRootNamespace(shop, 'corp-mesh'); // the same answer again is fine
    expect(only(Testing.synth(shop) as Obj[], 'Sidecar', 'web').spec.egress[0].hosts[0]).toBe('corp-mesh/*');
    expectMeshError(() => Mesh.declareRootNamespace(app, 'other'), '', /rootNamespace declares the mesh root namespace a second time: Mesh\.declareRootNamespace at \(the App\) says "corp-mesh"/);
    expectMeshError(() => Mesh.declareRootNamespace(app, 'Not_A_Label'), '', /rootNamespace must be a DNS-1123 label/);
    expectMeshError(() => Mesh.declareRootNamespace({} as any, 'x'), 'Mesh.declareRootNamespace', /scope must be a construct of the app/);
  });

  test('fails when a TunedControlPlane is not in the declared root namespace', () => {
    const { app, control } = meshSystemApp();
    Mesh.declareRootNamespace(app, 'istio-system');
    expectMeshError(() => Testing.synth(control), 'control/istio',
      /namespace is not the mesh root namespace "istio-system" \(Mesh\.declareRootNamespace at \(the App\)\).*got "mesh-system": install every control plane of the mesh in "istio-system"/);
  });

  test('MtlsMigration.rootNamespace declares it too, and a control plane elsewhere is refused (the mesh would stay PERMISSIVE)', () => {
    const { app, shop, control } = meshSystemApp();
    new MtlsMigration(shop, 'mtls', { rootNamespace: 'istio-system', meshMode: MtlsMode.PERMISSIVE });
    expectMeshError(() => Testing.synth(control), 'control/istio', /is not the mesh root namespace "istio-system" \(MtlsMigration\.rootNamespace at shop\/mtls\)/);
    expect(app).toBeDefined();
  });

  test('fails when DefaultDeny or a policy-carrying workload sits in the root namespace a TunedControlPlane decides', () => {
    const { app } = meshSystemApp();
    const root = new Chart(app, 'root', { namespace: 'mesh-system' });
    new DefaultDeny(root, 'deny');
    expectMeshError(() => Testing.synth(root), 'root/deny', /namespace is the mesh root namespace \(the namespace of the TunedControlPlane control\/istio\).*closes every namespace/);

    const app2 = Testing.app();
    new TunedControlPlane(new Chart(app2, 'control'), 'istio', { namespace: 'mesh-system' });
    const inRoot = new Chart(app2, 'tools', { namespace: 'mesh-system' });
    const a = new MeshedService(inRoot, 'a', { image: 'acme/a:1', port: 80 });
    const b = new MeshedService(inRoot, 'b', { image: 'acme/b:1', port: 80 });
    a.talksTo(b);
    expectMeshError(() => Testing.synth(inRoot), 'tools/a', /namespace is the mesh root namespace .*the Sidecar the dependency graph writes for this service select by label, and Istio applies a root-namespace policy to matching workloads of every namespace/);
  });

  test('MtlsMigration refuses a workload policy in the root namespace (Istio applies it in every namespace)', () => {
    const app = Testing.app();
    Mesh.declareRootNamespace(app, 'mesh-system');
    const c = new Chart(app, 'tools', { namespace: 'mesh-system' });
    const api = new MeshedService(c, 'api', { image: 'acme/api:1', port: 80 });
    new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(api), mode: MtlsMode.STRICT }] });
    expectMeshError(() => Testing.synth(c), 'tools/mtls', /runs in the root namespace "mesh-system", where Istio applies a PeerAuthentication with a selector to matching workloads of every namespace/);
  });

  test('rules read the root namespace from the IstioOperator, else the app\'s', () => {
    const io = (spec: any) => ({ apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'x', namespace: 'istio-system' }, spec });
    expect(new MeshObjects([io({ values: { global: { istioNamespace: 'mesh-system' } } })]).rootNamespace()).toBe('mesh-system');
    expect(new MeshObjects([io({ meshConfig: { rootNamespace: 'root' }, values: { global: { istioNamespace: 'mesh-system' } } })]).rootNamespace()).toBe('root');
    expect(new MeshObjects([], 'corp-mesh').rootNamespace()).toBe('corp-mesh');
    expect(new MeshObjects([]).rootNamespace()).toBe('istio-system');
  });

  test('the rules engine hands the root namespace to the rules', () => {
    let seen: string | undefined;
    const probe = { id: 'MESH-T-001', level: 'warning' as const, info: '', explanation: '', fix: '', check: (o: MeshObjects) => (seen = o.rootNamespace(), []) };
    runRules([], () => [], { rules: [probe], rootNamespace: 'corp-mesh' });
    expect(seen).toBe('corp-mesh');
  });

  validated.test();
});

describe('tracing end to end', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  test('a Telemetry provider\'s collector reaches the egress of every scoped Sidecar (istio#53701)', () => {
    const { app } = meshSystemApp({
      tracing: TracingSampling.telemetry(1, TracingProvider.openTelemetry('otel', 'otel-collector.observability.svc.cluster.local')),
    });
    const objs = synthApp(app);
    expect(only(objs, 'Sidecar', 'web').spec.egress[0].hosts).toEqual([
      'mesh-system/*', 'observability/otel-collector.observability.svc.cluster.local', 'shop/api.shop.svc.cluster.local',
    ]);
    expect(only(objs, 'IstioOperator').spec.meshConfig.extensionProviders).toEqual([
      { name: 'otel', opentelemetry: { service: 'otel-collector.observability.svc.cluster.local', port: 4317 } },
    ]);
  });

  test('the legacy place carries its Zipkin tracer, and its host reaches the Sidecars too', () => {
    const { app } = meshSystemApp({ tracing: TracingSampling.meshConfig(1, TracingProvider.zipkin('zipkin', 'zipkin.tracing')) });
    const objs = synthApp(app);
    expect(only(objs, 'IstioOperator').spec.meshConfig).toEqual({
      defaultConfig: { concurrency: 2, holdApplicationUntilProxyStarts: true, tracing: { sampling: 1, zipkin: { address: 'zipkin.tracing:9411' } } },
    });
    expect(only(objs, 'Sidecar', 'web').spec.egress[0].hosts).toContain('tracing/zipkin.tracing');
  });

  test('a collector outside the cluster domain is any namespace\'s host', () => {
    expect(TracingProvider.openTelemetry('o', 'otel.example.com')._egressHost()).toBe('*/otel.example.com');
    expect(TracingProvider.openTelemetry('o', 'otel.obs.svc')._egressHost()).toBe('obs/otel.obs.svc');
    expect(TracingProvider.existing('o')._egressHost()).toBeUndefined();
  });

  test('fails when a sampling rate has no tracer (plain JavaScript, or an extension provider on the legacy place)', () => {
    const c = new Chart(Testing.app(), 'c');
    expectMeshError(() => new TunedControlPlane(c, 'a', { tracing: (TracingSampling.meshConfig as any)(1) }), 'c/a',
      /tracing\.provider must name where spans go: Istio installs no tracer by default \(values\.global\.proxy\.tracer is "none" in 1\.22-1\.30\).*TracingSampling\.telemetry\(1, TracingProvider\.openTelemetry/);
    expectMeshError(() => new TunedControlPlane(c, 'b', { tracing: TracingSampling.meshConfig(1, TracingProvider.openTelemetry('otel', 'otel.obs')) }), 'c/b',
      /tracing\.provider cannot be the tracer of meshConfig\.defaultConfig\.tracing.*use TracingSampling\.telemetry\(1, provider\)/);
    expectMeshError(() => new TunedControlPlane(c, 'd', { tracing: 'TracingSampling.meshConfig(1)' as any }), 'c/d', /tracing must be a TracingSampling/);
    expectMeshError(() => new TunedControlPlane(c, 'e', { tracing: TracingSampling.telemetry(1, TracingProvider.existing('t', 'Bad Host')) }), 'c/e',
      /tracing\.provider\.service must be a lowercase host name/);
  });

  test('fails when an existing provider has no collector host and the app writes scoped Sidecars', () => {
    const { control } = meshSystemApp({ tracing: TracingSampling.telemetry(1, TracingProvider.existing('corp')) });
    expectMeshError(() => Testing.synth(control), 'control/istio', /tracing\.provider has no collector host, and the app writes scoped Sidecars.*TracingProvider\.existing\("corp", "otel-collector/);
    const ok = meshSystemApp({ tracing: TracingSampling.telemetry(1, TracingProvider.existing('corp', 'collector.obs.svc.cluster.local')) });
    expect(only(synthApp(ok.app), 'Sidecar', 'web').spec.egress[0].hosts).toContain('obs/collector.obs.svc.cluster.local');
  });
});

describe('two control planes', () => {
  test('fails when both install istio-ingressgateway in one namespace, with the canary recipe', () => {
    const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    const c = new Chart(app, 'control');
    new TunedControlPlane(c, 'stable');
    new TunedControlPlane(c, 'canary', { revision: '1-30-3' });
    expectMeshError(() => Testing.synth(c), 'control/canary',
      /ingressGateway\.enabled installs istio-ingressgateway in istio-system, which control\/stable installs too.*give the new revision ingressGateway: \{ enabled: false \}/);
  });

  test('a canary revision without a gateway is fine', () => {
    const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    const c = new Chart(app, 'control');
    new TunedControlPlane(c, 'stable');
    new TunedControlPlane(c, 'canary', { revision: '1-30-3', ingressGateway: { enabled: false } });
    expect((Testing.synth(c) as Obj[]).filter((o) => o.kind === 'IstioOperator')).toHaveLength(2);
  });
});
