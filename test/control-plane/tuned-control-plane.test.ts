import { ApiObject, Chart, JsonPatch, Size, Testing, YamlOutputType } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import {
  ControlPlaneProfile, IstioApiVersion, IstiodAntiAffinity, StatsInclusion, TracingProvider, TracingSampling,
  TunedControlPlane, TunedControlPlaneProps,
} from '../../src/index';
import { all, chart, expectMeshError, ForValidator, isLibraryError, only, synth } from '../util';

/** Outputs for the shared strict validator (IstioOperator schema; Telemetry against Istio 1.22.8 and 1.30.3), checked at the end. */
const validated = new ForValidator();
function expectSchemaValid(objsList: any[][]): void {
  validated.add(...objsList);
}

/**
 * Builds a control plane in a fresh chart (no chart namespace: the construct sets its own). The
 * app writes one file per resource, so the Telemetry may share the chart; `chart()` from
 * test/util.ts (one file per chart) is used where that matters.
 */
function build(props: TunedControlPlaneProps = {}, id = 'istio') {
  const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
  const c = new Chart(app, 'test');
  const cp = new TunedControlPlane(c, id, props);
  return { c, cp };
}

describe('TunedControlPlane', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  test('defaults: HA istiod through chart values, tuned proxies, no tracing (Istio installs no tracer), HA ingress gateway', () => {
    const { c, cp } = build();
    const objs = synth(c);
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['IstioOperator/istio']);
    const iop = only(objs, 'IstioOperator');
    expect(iop.apiVersion).toBe('install.istio.io/v1alpha1');
    expect(iop.metadata).toEqual({ name: 'istio', namespace: 'istio-system' });
    const spec = iop.spec;
    // the default profile is not restated; no revision, hub or tag unless asked
    expect(Object.keys(spec).sort()).toEqual(['components', 'meshConfig', 'values']);

    const pilot = spec.components.pilot.k8s;
    expect(pilot.hpaSpec).toBeUndefined(); // replica counts are chart values (below), not a patch
    expect(spec.values.pilot).toEqual({ autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 });
    expect(pilot.replicaCount).toBeUndefined(); // the HPA decides, not replicaCount
    expect(pilot.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(pilot.resources).toEqual({ requests: { cpu: '500m', memory: '2048Mi' }, limits: { memory: '4096Mi' } });
    expect(pilot.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{
      weight: 100,
      podAffinityTerm: { labelSelector: { matchLabels: { 'app': 'istiod', 'istio.io/rev': 'default' } }, topologyKey: 'kubernetes.io/hostname' },
    }]);
    expect(pilot.env).toBeUndefined(); // no PILOT_ENABLE_XDS_CACHE or other no-op variables

    // proxy defaults live under meshConfig.defaultConfig, never directly under meshConfig
    expect(spec.meshConfig).toEqual({
      // no tracing: a sampling rate without a tracer (values.global.proxy.tracer is "none") traces nothing
      defaultConfig: { concurrency: 2, holdApplicationUntilProxyStarts: true },
    });

    expect(spec.components.ingressGateways).toEqual([{ name: 'istio-ingressgateway', enabled: true }]);
    expect(spec.values.gateways).toEqual({ 'istio-ingressgateway': { autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 } });
    expect(cp.telemetry).toBeUndefined();
    expect(cp.warnings).toEqual([]);
    expect(JSON.stringify(objs)).not.toMatch(/PILOT_ENABLE_XDS_CACHE|mixer|replicaCount/);
    expectSchemaValid([objs]);
    expect(objs).toMatchSnapshot();
  });

  test('every prop reaches the YAML', () => {
    const { c, cp } = build({
      name: 'mesh-control',
      profile: ControlPlaneProfile.PREVIEW,
      hub: 'registry.example.com/istio',
      tag: '1.30.3-distroless',
      namespace: 'mesh-system',
      istiod: {
        minReplicas: 3,
        maxReplicas: 7,
        antiAffinity: IstiodAntiAffinity.REQUIRED,
        pdbMaxUnavailable: 2,
        cpu: { request: Cpu.millis(1000), limit: Cpu.units(4) },
        memory: { request: Size.gibibytes(4), limit: Size.gibibytes(8) },
      },
      concurrency: 4,
      holdApplicationUntilProxyStarts: false,
      statsInclusion: StatsInclusion.of({
        prefixes: ['cluster.outbound', 'listener'],
        suffixes: ['upstream_rq_timeout'],
        regexps: ['.*outlier_detection.*'],
      }),
      tracing: TracingSampling.meshConfig(0.5, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local')),
      ingressGateway: {
        minReplicas: 3,
        maxReplicas: 10,
        cpu: { request: Cpu.millis(250), limit: Cpu.units(2) },
        memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
      },
    });
    const objs = synth(c);
    const iop = only(objs, 'IstioOperator');
    expect(iop.metadata).toEqual({ name: 'mesh-control', namespace: 'mesh-system' });
    const spec = iop.spec;
    expect(spec.profile).toBe('preview');
    expect(spec.hub).toBe('registry.example.com/istio');
    expect(spec.tag).toBe('1.30.3-distroless');
    // istioctl takes the namespace from values.global.istioNamespace (it overwrites metadata.namespace with it)
    expect(spec.values.global).toEqual({ istioNamespace: 'mesh-system' });
    const pilot = spec.components.pilot.k8s;
    expect(spec.values.pilot).toEqual({ autoscaleEnabled: true, autoscaleMin: 3, autoscaleMax: 7 });
    expect(pilot.podDisruptionBudget).toEqual({ maxUnavailable: 2 });
    expect(pilot.resources).toEqual({ requests: { cpu: '1000m', memory: '4096Mi' }, limits: { cpu: '4000m', memory: '8192Mi' } });
    expect(pilot.affinity.podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [{
        labelSelector: { matchLabels: { 'app': 'istiod', 'istio.io/rev': 'default' } }, topologyKey: 'kubernetes.io/hostname',
      }],
    });
    expect(spec.meshConfig.defaultConfig).toEqual({
      concurrency: 4,
      // false is Istio's own default: not emitted
      proxyStatsMatcher: {
        inclusionPrefixes: ['cluster.outbound', 'listener'],
        inclusionSuffixes: ['upstream_rq_timeout'],
        inclusionRegexps: ['.*outlier_detection.*'],
      },
      tracing: { sampling: 0.5, zipkin: { address: 'zipkin.istio-system.svc.cluster.local:9411' } },
    });
    expect(spec.meshConfig.proxyStatsMatcher).toBeUndefined();
    expect(spec.components.ingressGateways).toEqual([{
      name: 'istio-ingressgateway',
      enabled: true,
      k8s: {
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
      },
    }]);
    expect(spec.values.gateways).toEqual({ 'istio-ingressgateway': { autoscaleEnabled: true, autoscaleMin: 3, autoscaleMax: 10 } });
    expect(cp.namespace).toBe('mesh-system');
    expect(cp.warnings).toEqual([]);
    expectSchemaValid([objs]);
    expect(objs).toMatchSnapshot();
  });

  test('the Telemetry path: a mesh-default Telemetry in the root namespace, and no defaultConfig.tracing', () => {
    const { app, chart: c } = chart(undefined); // one file per chart, as cdk8s does by default
    const telemetryChart = new Chart(app, 'telemetry');
    const cp = new TunedControlPlane(c, 'istio', {
      namespace: 'mesh-system',
      tracing: TracingSampling.telemetry(5, TracingProvider.openTelemetry('otel', 'otel-collector.observability.svc.cluster.local')),
      telemetryChart,
    });
    // the IstioOperator alone in its file (istioctl refuses more), the Telemetry in its own chart for kubectl
    expect(synth(c).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['IstioOperator/istio']);
    expect(synth(telemetryChart).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Telemetry/mesh-default']);
    const objs = [...synth(c), ...synth(telemetryChart)];
    const tel = only(objs, 'Telemetry');
    expect(tel.apiVersion).toBe('telemetry.istio.io/v1');
    expect(tel.metadata).toEqual({ name: 'mesh-default', namespace: 'mesh-system' });
    expect(tel.spec).toEqual({ tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 5 }] });
    expect(tel.spec.selector).toBeUndefined(); // mesh-wide
    const mesh = only(objs, 'IstioOperator').spec.meshConfig;
    // one place only: the Telemetry wins over defaultConfig.tracing.sampling anyway, so the legacy value is not written
    expect(mesh.defaultConfig.tracing).toBeUndefined();
    expect(mesh.extensionProviders).toEqual([{ name: 'otel', opentelemetry: { service: 'otel-collector.observability.svc.cluster.local', port: 4317 } }]);
    expect(cp.tracing!.viaTelemetry).toBe(true);
    expect(cp.telemetry).toBeDefined();
    expectSchemaValid([objs]);
    expect(objs).toMatchSnapshot();
  });

  test('the Telemetry path with a zipkin provider, an existing provider, and v1alpha1 for old meshes', () => {
    const zipkin = build({ tracing: TracingSampling.telemetry(0, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local')) });
    const zobjs = synth(zipkin.c);
    expect(only(zobjs, 'IstioOperator').spec.meshConfig.extensionProviders).toEqual([
      { name: 'zipkin', zipkin: { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 } },
    ]);
    // 0 is allowed here: the Telemetry path can turn sampling off
    expect(only(zobjs, 'Telemetry').spec.tracing[0].randomSamplingPercentage).toBe(0);

    const existing = build({ tracing: TracingSampling.telemetry(1, TracingProvider.existing('corp-tracing')), istioApiVersion: IstioApiVersion.V1BETA1 });
    const eobjs = synth(existing.c);
    expect(only(eobjs, 'IstioOperator').spec.meshConfig.extensionProviders).toBeUndefined();
    const tel = only(eobjs, 'Telemetry');
    expect(tel.apiVersion).toBe('telemetry.istio.io/v1alpha1');
    expect(tel.spec.tracing[0].providers).toEqual([{ name: 'corp-tracing' }]);
    expectSchemaValid([zobjs, eobjs]);
  });

  test('a revision: spec.revision, and anti-affinity that selects this revision\'s istiod only', () => {
    const { c, cp } = build({ revision: '1-30-3', tag: '1.30.3' }, 'istio-canary');
    const objs = synth(c);
    const iop = only(objs, 'IstioOperator');
    expect(iop.metadata.name).toBe('istio-canary');
    expect(iop.spec.revision).toBe('1-30-3');
    expect(iop.spec.tag).toBe('1.30.3');
    const term = iop.spec.components.pilot.k8s.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
    expect(term.labelSelector.matchLabels).toEqual({ 'app': 'istiod', 'istio.io/rev': '1-30-3' });
    expect(cp.revision).toBe('1-30-3');
    expectSchemaValid([objs]);
    expect(objs).toMatchSnapshot();
  });

  test('HA that renders on Istio 1.28+: the charts\' PodDisruptionBudget condition holds from values alone, for istiod and the gateway', () => {
    // manifests/charts/istio-control/istio-discovery/templates/poddisruptionbudget.yaml (and the gateway's) from 1.28.0:
    // `if or (and autoscaleEnabled (gt autoscaleMin 1)) (and (not autoscaleEnabled) (gt replicaCount 1))`, defaults true / 1 / 1.
    // istioctl never copies components.*.k8s into values (operator/pkg/render/postprocess.go patches rendered manifests only).
    const rendersPdb = (v: any, profileAutoscale = true) =>
      ((v?.autoscaleEnabled ?? profileAutoscale) ? (v?.autoscaleMin ?? 1) > 1 : (v?.replicaCount ?? 1) > 1);
    for (const profile of [ControlPlaneProfile.DEFAULT, ControlPlaneProfile.DEMO, ControlPlaneProfile.PREVIEW]) {
      const spec = only(synth(build({ profile }).c), 'IstioOperator').spec;
      const profileAutoscale = profile !== ControlPlaneProfile.DEMO;
      expect(rendersPdb(spec.values?.pilot, profileAutoscale)).toBe(true);
      expect(rendersPdb(spec.values?.gateways?.['istio-ingressgateway'], profileAutoscale)).toBe(true);
      // and the one patch kept has something to patch
      expect(spec.components.pilot.k8s.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    }
    const single = only(synth(build({ istiod: { minReplicas: 1, maxReplicas: 1 } }).c), 'IstioOperator').spec;
    expect(rendersPdb(single.values.pilot)).toBe(false); // one istiod: no PDB, which would block every drain
  });

  test('the demo profile turns autoscaling off, so it is turned back on for the HPAs to exist', () => {
    const { c } = build({ profile: ControlPlaneProfile.DEMO });
    const spec = only(synth(c), 'IstioOperator').spec;
    expect(spec.profile).toBe('demo');
    expect(spec.values).toEqual({
      pilot: { autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 },
      gateways: { 'istio-ingressgateway': { autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 } },
    });
    // no tracer in demo either: its PILOT_TRACE_SAMPLING=100 reaches no collector, and nothing is written
    expect(spec.meshConfig.defaultConfig.tracing).toBeUndefined();
  });

  test('gateway: profiles without one write nothing; turning it off or on is explicit', () => {
    const minimal = only(synth(build({ profile: ControlPlaneProfile.MINIMAL }).c), 'IstioOperator').spec;
    expect(minimal.components.ingressGateways).toBeUndefined();
    const ambientOn = only(synth(build({ profile: ControlPlaneProfile.AMBIENT, ingressGateway: { enabled: true } }).c), 'IstioOperator').spec;
    expect(ambientOn.components.ingressGateways).toEqual([{ name: 'istio-ingressgateway', enabled: true }]);
    expect(ambientOn.values.gateways['istio-ingressgateway']).toEqual({ autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 });
    const off = only(synth(build({ ingressGateway: { enabled: false } }).c), 'IstioOperator').spec;
    expect(off.components.ingressGateways).toEqual([{ name: 'istio-ingressgateway', enabled: false }]);
  });

  test('one istiod replica with no anti-affinity possible: no affinity written, and a warning', () => {
    const { c, cp } = build({ istiod: { minReplicas: 1, maxReplicas: 1 } });
    const objs = synth(c);
    const pilot = only(objs, 'IstioOperator').spec.components.pilot.k8s;
    expect(pilot.affinity).toBeUndefined();
    expect(only(objs, 'IstioOperator').spec.values.pilot).toEqual({ autoscaleEnabled: true, autoscaleMin: 1, autoscaleMax: 1 });
    expect(cp.warnings).toHaveLength(1);
  });

  test('maxReplicas follows a minReplicas above 5', () => {
    const { c } = build({ istiod: { minReplicas: 6 } });
    expect(only(synth(c), 'IstioOperator').spec.values.pilot).toEqual({ autoscaleEnabled: true, autoscaleMin: 6, autoscaleMax: 6 });
  });

  test('a memory request without a limit gets a limit of twice the request', () => {
    const { c } = build({ istiod: { memory: { request: Size.gibibytes(6) } } });
    expect(only(synth(c), 'IstioOperator').spec.components.pilot.k8s.resources.limits).toEqual({ memory: '12288Mi' });
  });

  test('concurrency 0 is accepted when explicitly allowed', () => {
    const { c } = build({ concurrency: 0, allowAllCores: true });
    expect(only(synth(c), 'IstioOperator').spec.meshConfig.defaultConfig.concurrency).toBe(0);
  });

  test('the IstioOperator is rendered lazily: addJsonPatch works as the escape hatch', () => {
    const { c, cp } = build();
    ApiObject.of(cp.istioOperator).addJsonPatch(JsonPatch.add('/spec/meshConfig/accessLogFile', '/dev/stdout'));
    expect(only(synth(c), 'IstioOperator').spec.meshConfig.accessLogFile).toBe('/dev/stdout');
  });

  test('StatsInclusion factories keep the three lists apart and return copies', () => {
    const s = StatsInclusion.prefixes('a', 'b');
    expect(s.prefixList).toEqual(['a', 'b']);
    expect(s.suffixList).toEqual([]);
    s.prefixList.push('c');
    expect(s.prefixList).toEqual(['a', 'b']);
    expect(StatsInclusion.suffixes('x').suffixList).toEqual(['x']);
    expect(StatsInclusion.regexps('.*y.*').regexpList).toEqual(['.*y.*']);
  });

  test('output is deterministic', () => {
    const once = () => JSON.stringify(synth(build({ revision: 'canary', tracing: TracingSampling.telemetry(1, TracingProvider.existing('t')) }).c));
    expect(once()).toEqual(once());
  });

  describe('warnings: reported in `warnings` and printed once with console.warn at synth, never blocking', () => {
    test('fewer than 2 istiod replicas is reported', () => {
      const { c, cp } = build({ istiod: { minReplicas: 1 } });
      expect(cp.warnings).toEqual([expect.stringMatching(/^test\/istio: istiod\.minReplicas leaves a single istiod: a single point of failure.*got 1: set istiod\.minReplicas to 2 or more$/)]);
      expect(warn).not.toHaveBeenCalled(); // not at construction
      synth(c);
      synth(c);
      expect(warn).toHaveBeenCalledTimes(1); // once, at synth
      expect(warn.mock.calls[0][0]).toMatch(/^\[WARNING\] test\/istio: istiod\.minReplicas .* got 1/);
    });
    test('sampling above 10% is reported', () => {
      const { c, cp } = build({ tracing: TracingSampling.meshConfig(25, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local')) });
      expect(cp.warnings).toEqual([expect.stringMatching(/tracing\.percent traces more than 10% of requests.*got 25: sample 1% or less/)]);
      synth(c);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/\[WARNING\] test\/istio: tracing\.percent .* got 25/));
    });
    test('a single ingress gateway replica is reported', () => {
      const { cp } = build({ ingressGateway: { minReplicas: 1 } });
      expect(cp.warnings).toEqual([expect.stringMatching(/ingressGateway\.minReplicas leaves a single ingress gateway.*got 1/)]);
    });
    test('10% exactly is not reported', () => {
      expect(build({ tracing: TracingSampling.meshConfig(10, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local')) }).cp.warnings).toEqual([]);
    });
  });

  describe('bad input', () => {
    const make = (props: any, id = 'istio') => () => synth(build(props, id).c);
    test('fails when the IstioOperator shares its file with the Telemetry', () => {
      const { chart: c } = chart(undefined);
      new TunedControlPlane(c, 'istio', { tracing: TracingSampling.telemetry(1, TracingProvider.existing('t')) });
      expectMeshError(() => synth(c), 'test/istio', /chart writes the IstioOperator into one file with 1 other object\(s\) \(Telemetry\/mesh-default\).*istioctl install -f refuses.*set telemetryChart/);
    });
    test('fails when the IstioOperator shares its chart with other objects', () => {
      const { chart: c } = chart(undefined);
      new TunedControlPlane(c, 'istio');
      new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
      expectMeshError(() => synth(c), 'test/istio', /writes the IstioOperator into one file with 1 other object\(s\) \(ConfigMap\/x\).*put the TunedControlPlane in a chart of its own/);
    });
    test('fails when the app writes one file for everything', () => {
      const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_APP });
      const a = new Chart(app, 'a');
      new TunedControlPlane(a, 'istio');
      const b = new Chart(app, 'b');
      new ApiObject(b, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } });
      expectMeshError(() => synth(a), 'a/istio', /IstioOperator into one file with 1 other object/);
    });
    test('fails when two control planes in one namespace have the same revision', () => {
      const { c } = build();
      new TunedControlPlane(c, 'istio-2');
      expectMeshError(() => synth(c), 'test/istio-2', /revision is also the revision of test\/istio in namespace istio-system.*got nothing: give one of them a revision of its own/);
    });
    test('fails when two control planes both write the mesh-default Telemetry', () => {
      const { c } = build({ tracing: TracingSampling.telemetry(1, TracingProvider.existing('t')) });
      new TunedControlPlane(c, 'canary', { revision: 'canary', ingressGateway: { enabled: false }, tracing: TracingSampling.telemetry(2, TracingProvider.existing('t')) });
      expectMeshError(() => synth(c), 'test/canary', /tracing writes a second mesh-default Telemetry in istio-system, already written by test\/istio/);
    });
    test('a stable and a canary control plane side by side', () => {
      const { c } = build({ tracing: TracingSampling.telemetry(1, TracingProvider.existing('t')) });
      new TunedControlPlane(c, 'canary', { revision: '1-30-3', ingressGateway: { enabled: false } });
      const objs = synth(c);
      expect(all(objs, 'IstioOperator').map((o) => o.spec.revision)).toEqual([undefined, '1-30-3']);
      expect(all(objs, 'Telemetry')).toHaveLength(1);
    });
    test('fails when sampling is above 100', () => expectMeshError(make({ tracing: TracingSampling.meshConfig(150, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local')) }), 'test/istio', /tracing\.percent must be a percentage from 0 to 100.*got 150/));
    test('fails when sampling is negative', () => expectMeshError(make({ tracing: TracingSampling.telemetry(-1, TracingProvider.existing('t')) }), 'test/istio', /tracing\.percent must be a percentage from 0 to 100.*got -1/));
    test('fails when sampling is not a number', () => expectMeshError(make({ tracing: TracingSampling.meshConfig(NaN, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local')) }), 'test/istio', /tracing\.percent must be a percentage.*got NaN/));
    test('fails when sampling is 0 in meshConfig (istiod reads it as unset)', () => expectMeshError(make({ tracing: TracingSampling.meshConfig(0, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local')) }), 'test/istio', /tracing\.percent of 0 in meshConfig.*PILOT_TRACE_SAMPLING.*TracingSampling\.telemetry\(0, provider\)/));
    test('fails when concurrency is negative', () => expectMeshError(make({ concurrency: -1 }), 'test/istio', /concurrency must be a whole number of Envoy workers.*got -1/));
    test('fails when concurrency is fractional', () => expectMeshError(make({ concurrency: 1.5 }), 'test/istio', /concurrency must be a whole number.*got 1.5/));
    test('fails when concurrency is 0 without allowAllCores', () => expectMeshError(make({ concurrency: 0 }), 'test/istio', /concurrency of 0 starts one Envoy worker per node core.*allowAllCores: true/));
    test('fails when anti-affinity is asked for with one replica', () => expectMeshError(make({ istiod: { minReplicas: 1, maxReplicas: 1, antiAffinity: IstiodAntiAffinity.REQUIRED } }), 'test/istio',
      /istiod\.antiAffinity has no effect with a single istiod replica.*got "required".*IstiodAntiAffinity\.NONE/));
    test('fails when the istiod CPU limit is below the request', () => expectMeshError(make({ istiod: { cpu: { request: Cpu.millis(500), limit: Cpu.millis(200) } } }), 'test/istio',
      /istiod\.cpu\.limit must not be below the request \(500m\), got "200m": raise the limit/));
    test('fails when the istiod memory limit is below the request', () => expectMeshError(make({ istiod: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } }), 'test/istio',
      /istiod\.memory\.limit must not be below the request \(2048Mi\), got "1024Mi"/));
    test('fails when the gateway memory limit is below the request', () => expectMeshError(make({ ingressGateway: { memory: { request: Size.mebibytes(512), limit: Size.mebibytes(256) } } }), 'test/istio',
      /ingressGateway\.memory\.limit must not be below the request \(512Mi\), got "256Mi"/));
    test('fails when the gateway CPU limit is below the request', () => expectMeshError(make({ ingressGateway: { cpu: { request: Cpu.units(1), limit: Cpu.millis(500) } } }), 'test/istio',
      /ingressGateway\.cpu\.limit must not be below the request/));
    test('fails when the revision is not a DNS-1123 label', () => expectMeshError(make({ revision: '1.30.3' }), 'test/istio', /revision must be a DNS-1123 label.*got "1.30.3".*"1-30-3"/));
    test('fails when the revision has capitals', () => expectMeshError(make({ revision: 'Canary' }), 'test/istio', /revision must be a DNS-1123 label.*got "Canary"/));
    test('fails when the revision is "default"', () => expectMeshError(make({ revision: 'default' }), 'test/istio', /revision is reserved.*got "default".*leave revision unset/));
    test('fails when the revision makes istiod-<revision> too long', () => expectMeshError(make({ revision: 'r'.repeat(60) }), 'test/istio', /revision makes the istiod Service name longer than 63/));
    test('fails when a Mixer-era prefix is listed', () => expectMeshError(make({ statsInclusion: StatsInclusion.prefixes('cluster.outbound', 'http_mixer_filter') }), 'test/istio',
      /statsInclusion\.prefixes\[1\] names a Mixer-era stat.*got "http_mixer_filter": remove it.*StatsInclusion\.prefixes\("cluster\.outbound"\)/));
    test('fails when tcp_mixer_filter is listed as a suffix', () => expectMeshError(make({ statsInclusion: StatsInclusion.suffixes('tcp_mixer_filter') }), 'test/istio', /statsInclusion\.suffixes\[0\] names a Mixer-era stat/));
    test('fails when a regex is in the prefix list, suggesting the literal prefix', () => expectMeshError(make({ statsInclusion: StatsInclusion.prefixes('cluster\\.outbound.*') }), 'test/istio',
      /statsInclusion\.prefixes\[0\] looks like a regex, but prefixes are matched literally.*write the literal prefix instead: StatsInclusion\.prefixes\("cluster\.outbound"\)/));
    test('fails when a regex is in the prefix list, suggesting the literal suffix', () => expectMeshError(make({ statsInclusion: StatsInclusion.prefixes('.*upstream_rq_timeout') }), 'test/istio',
      /write the literal suffix instead: StatsInclusion\.suffixes\("upstream_rq_timeout"\)/));
    test('fails when a regex is in the prefix list, suggesting the regex list', () => expectMeshError(make({ statsInclusion: StatsInclusion.prefixes('.*outlier_detection.*') }), 'test/istio',
      /move it to the regex list: StatsInclusion\.of\(\{ regexps: \["\.\*outlier_detection\.\*"\] \}\)/));
    test('fails when a regex is in the suffix list', () => expectMeshError(make({ statsInclusion: StatsInclusion.suffixes('rq_[0-9]+') }), 'test/istio', /statsInclusion\.suffixes\[0\] looks like a regex/));
    test('fails when a regex does not compile', () => expectMeshError(make({ statsInclusion: StatsInclusion.regexps('cluster.(outbound') }), 'test/istio', /statsInclusion\.regexps\[0\] is not a valid regular expression/));
    test('RE2 inline flags are accepted in regexps', () => {
      const { c } = build({ statsInclusion: StatsInclusion.regexps('(?i).*outlier_detection.*') });
      expect(only(synth(c), 'IstioOperator').spec.meshConfig.defaultConfig.proxyStatsMatcher.inclusionRegexps).toEqual(['(?i).*outlier_detection.*']);
    });
    test('fails when a regex uses lookahead (not RE2)', () => expectMeshError(make({ statsInclusion: StatsInclusion.regexps('(?!cluster).*') }), 'test/istio', /statsInclusion\.regexps\[0\] uses a lookaround/));
    test('fails when a stats entry is empty', () => expectMeshError(make({ statsInclusion: StatsInclusion.prefixes('') }), 'test/istio', /statsInclusion\.prefixes\[0\] must be a non-empty/));
    test('fails when istiod minReplicas is 0', () => expectMeshError(make({ istiod: { minReplicas: 0 } }), 'test/istio', /istiod\.minReplicas must be a whole number from 1 to 2147483647, got 0/));
    test('fails when istiod maxReplicas is below minReplicas', () => expectMeshError(make({ istiod: { minReplicas: 3, maxReplicas: 2 } }), 'test/istio', /istiod\.maxReplicas must not be below minReplicas \(3\), got 2/));
    test('fails when the PDB lets every istiod go at once', () => expectMeshError(make({ istiod: { pdbMaxUnavailable: 2 } }), 'test/istio', /istiod\.pdbMaxUnavailable lets a drain evict every istiod at once.*got 2/));
    test('fails when the PDB blocks every drain', () => expectMeshError(make({ istiod: { pdbMaxUnavailable: 0 } }), 'test/istio', /istiod\.pdbMaxUnavailable must be a whole number, 1 or more \(0 blocks every node drain\)/));
    test('fails when gateway settings are given for a profile without a gateway', () => expectMeshError(make({ profile: ControlPlaneProfile.MINIMAL, ingressGateway: { minReplicas: 3 } }), 'test/istio',
      /ingressGateway\.minReplicas has no effect: the ingress gateway is not installed.*enabled: true \(the minimal profile has no gateway\)/));
    test('fails when the gateway maxReplicas is below minReplicas', () => expectMeshError(make({ ingressGateway: { minReplicas: 4, maxReplicas: 3 } }), 'test/istio', /ingressGateway\.maxReplicas must not be below minReplicas \(4\)/));
    test('fails when the namespace is not a DNS label', () => expectMeshError(make({ namespace: 'Istio_System' }), 'test/istio', /namespace must be a DNS-1123 label.*got "Istio_System"/));
    test('fails when the profile is unknown', () => expectMeshError(make({ profile: 'production' }), 'test/istio', /profile must be one of default, minimal, demo, preview, ambient, got "production"/));
    test('fails when the tag has a colon', () => expectMeshError(make({ tag: 'istio:1.30' }), 'test/istio', /tag must be an image tag.*got "istio:1.30"/));
    test('fails when the hub has a scheme', () => expectMeshError(make({ hub: 'https://docker.io/istio' }), 'test/istio', /hub must be an image registry path.*got "https:\/\/docker.io\/istio"/));
    test('fails when a tracing provider port is out of range', () => expectMeshError(make({ tracing: TracingSampling.telemetry(1, TracingProvider.zipkin('z', 'zipkin.istio-system', 0)) }), 'test/istio',
      /tracing\.provider\.port must be a whole number from 1 to 65535, got 0/));
    test('fails when a tracing provider has no name', () => expectMeshError(make({ tracing: TracingSampling.telemetry(1, TracingProvider.existing('')) }), 'test/istio', /tracing\.provider\.name must be a non-empty name/));
    test('fails when a tracing provider service has a scheme', () => expectMeshError(make({ tracing: TracingSampling.telemetry(1, TracingProvider.openTelemetry('o', 'http://otel')) }), 'test/istio',
      /tracing\.provider\.service must be a lowercase host name without scheme/));
  });

  const yaml11Safe = (x: string) => !/^(y|n|yes|no|on|off|true|false|null|0b[01]+|0x[0-9a-f]+|[0-9]+)$/i.test(x);

  describe('property: valid input is schema-valid YAML; invalid input is our error, never a crash', () => {
    const validProps = fc.record({
      profile: fc.constantFrom(...Object.values(ControlPlaneProfile)),
      // test/util.ts writes YAML 1.2, the validator reads YAML 1.1 as kubectl does: leave out labels that 1.1 reads as
      // booleans or numbers ("on", "y", "0b1"); cdk8s synth itself writes YAML 1.1 and quotes them.
      revision: fc.option(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/)
        .filter((r) => r !== 'default' && yaml11Safe(r)), { nil: undefined }),
      minReplicas: fc.integer({ min: 2, max: 8 }),
      extra: fc.integer({ min: 0, max: 5 }),
      concurrency: fc.integer({ min: 1, max: 16 }),
      percent: fc.double({ min: 0.01, max: 100, noNaN: true }),
      viaTelemetry: fc.boolean(),
      gateway: fc.option(fc.boolean(), { nil: undefined }),
      prefixes: fc.array(fc.stringMatching(/^[a-z][a-z_.]{0,15}$/).filter((s) => !/mixer/.test(s) && yaml11Safe(s)), { maxLength: 3 }),
    });
    test('valid props synthesize schema-valid objects', () => {
      const outputs: any[][] = [];
      fc.assert(fc.property(validProps, (p) => {
        const { c } = build({
          profile: p.profile,
          revision: p.revision,
          istiod: { minReplicas: p.minReplicas, maxReplicas: p.minReplicas + p.extra },
          concurrency: p.concurrency,
          tracing: p.viaTelemetry ? TracingSampling.telemetry(p.percent, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local'))
            : TracingSampling.meshConfig(p.percent, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local')),
          ingressGateway: p.gateway === undefined ? undefined : { enabled: p.gateway },
          statsInclusion: StatsInclusion.prefixes(...p.prefixes),
        });
        const objs = synth(c);
        expect(all(objs, 'IstioOperator')).toHaveLength(1);
        expect(all(objs, 'Telemetry')).toHaveLength(p.viaTelemetry ? 1 : 0);
        expect(JSON.stringify(objs)).not.toContain('null');
        outputs.push(objs);
      }), { numRuns: 40 });
      // one validator run over every generated case
      expectSchemaValid(outputs);
    });
    test('invalid numbers throw our error, never a crash', () => {
      fc.assert(fc.property(
        fc.oneof(fc.double({ min: 100.0001, max: 1e9, noNaN: true }), fc.double({ min: -1e9, max: -0.0001, noNaN: true }), fc.constant(Infinity)),
        fc.integer({ min: -100, max: -1 }),
        (percent, concurrency) => {
          for (const props of [{ tracing: TracingSampling.meshConfig(percent, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local')) }, { concurrency }, { istiod: { minReplicas: concurrency } }]) {
            let thrown: unknown;
            try {
              synth(build(props as TunedControlPlaneProps).c);
            } catch (e) {
              thrown = e;
            }
            expect(isLibraryError(thrown)).toBe(true);
          }
        }), { numRuns: 50 });
    });
  });
  validated.test();
});
