import { Chart, Testing, YamlOutputType } from 'cdk8s';
import { ControlPlaneProfile, Mesh, StatsInclusion, TracingProvider, TracingSampling, TunedControlPlane, TunedControlPlaneProps } from '../../src/index';
import { only, synth } from '../util';

// Edges of TunedControlPlane (issue 18): each test fails when the guarded line is broken.
// Istio facts: operator/pkg/apis/validation/validation.go (1.30.3) validateRevision accepts a
// revision only when labels.IsDNS1123Label (it is the `istio.io/rev` label value); istiod's Service
// and Deployment are named `istiod-<revision>` (manifests/charts/istio-control/istio-discovery
// templates), an object name that must itself fit a DNS-1123 label (63), so a revision is at most
// 63 - len("istiod-") = 56 characters.

function build(props: TunedControlPlaneProps = {}, app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE }), id = 'istio') {
  const c = new Chart(app, `c-${id}`);
  const cp = new TunedControlPlane(c, id, props);
  return { app, c, cp };
}
const make = (props: TunedControlPlaneProps) => () => build(props);

describe('TunedControlPlane edges', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  describe('revision length and format', () => {
    test('a 56-character revision is accepted (istiod-<revision> is 63 characters)', () => {
      const rev = 'r'.repeat(56);
      const { c } = build({ revision: rev });
      expect(only(synth(c), 'IstioOperator').spec.revision).toBe(rev);
    });
    test('a 57-character revision is refused: istiod-<revision> would be 64 characters', () => {
      expect(make({ revision: 'r'.repeat(57) })).toThrow(/revision makes the istiod Service name longer than 63 characters, got "r{57}": shorten the revision/);
    });
    test('a 64-character revision is not even a DNS-1123 label', () => {
      expect(make({ revision: 'r'.repeat(64) })).toThrow(/revision must be a DNS-1123 label/);
    });
    test.each(['1-30-3', 'a', '0', 'canary', 'v1-30'])('revision %p is a DNS-1123 label and accepted', (rev) => {
      const { c, cp } = build({ revision: rev });
      expect(cp.revision).toBe(rev);
      const iop = only(synth(c), 'IstioOperator');
      expect(iop.spec.revision).toBe(rev);
      const term = iop.spec.components.pilot.k8s.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
      expect(term.labelSelector.matchLabels)
        .toEqual({ 'app': 'istiod', 'istio.io/rev': rev });
    });
    test.each(['-canary', 'canary-', 'can_ary', '1.30', '', 'Canary'])('revision %p is refused', (rev) => {
      expect(make({ revision: rev })).toThrow(/revision must be a DNS-1123 label/);
    });
    test('"default" is reserved, but a revision containing it is not', () => {
      expect(make({ revision: 'default' })).toThrow(/revision is reserved/);
      expect(build({ revision: 'default-2' }).cp.revision).toBe('default-2');
    });
  });

  describe('hub format, at both edges', () => {
    test.each(['docker.io/istio', 'gcr.io/istio-release', 'istio', 'localhost:5000/istio', 'registry.example.com:443/team/istio', 'a/b/c/d'])('hub %p is accepted and written', (hub) => {
      const { c } = build({ hub });
      expect(only(synth(c), 'IstioOperator').spec.hub).toBe(hub);
    });
    test.each([
      ['docker.io/istio/', /hub must be an image registry path without scheme, tag or trailing slash/],
      ['docker.io/istio:1.30.3', /hub must be an image registry path without scheme, tag or trailing slash/],
      ['docker.io/ istio', /hub must be an image registry path/],
      ['', /hub must be an image registry path/],
      ['   ', /hub must be an image registry path/],
      ['http://docker.io/istio', /hub must be an image registry path/],
      ['docker.io/Istio', /hub must make a valid image reference with the image name \(<hub>\/pilot/],
      ['docker.io/istio..x', /hub must make a valid image reference/],
    ])('hub %p is refused', (hub, message) => {
      expect(make({ hub })).toThrow(message);
    });
    test('a hub that is not a string is refused', () => {
      expect(make({ hub: 5 as any })).toThrow(/hub must be an image registry path.*got 5/);
    });
    test('no hub: spec.hub is absent', () => {
      expect('hub' in only(synth(build().c), 'IstioOperator').spec).toBe(false);
    });
  });

  describe('cross-namespace revisions', () => {
    test('the same revision in two namespaces is not a revision clash, but the second namespace is not the root namespace', () => {
      const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      build({ revision: 'canary' }, app, 'a');
      build({ revision: 'canary', namespace: 'istio-canary', ingressGateway: { enabled: false } }, app, 'b');
      let message = '';
      try {
        app.synth();
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/c-b\/b: namespace is not the mesh root namespace "istio-system" \(the namespace of the TunedControlPlane c-a\/a\)/);
      expect(message).not.toMatch(/revision is also the revision/);
    });
    test('the same revision in one namespace is a clash', () => {
      const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      build({ revision: 'canary' }, app, 'a');
      build({ revision: 'canary', ingressGateway: { enabled: false } }, app, 'b');
      expect(() => app.synth()).toThrow(/c-b\/b: revision is also the revision of c-a\/a in namespace istio-system/);
    });
    test('a control plane alone in its namespace makes it the root namespace; a declared root elsewhere is refused', () => {
      const { app, c } = build({ namespace: 'mesh-system' });
      expect(only(synth(c), 'IstioOperator').spec.values.global).toEqual({ istioNamespace: 'mesh-system' });
      Mesh.declareRootNamespace(app, 'istio-system');
      expect(() => app.synth()).toThrow(/namespace is not the mesh root namespace "istio-system".*Mesh\.declareRootNamespace\(app, "mesh-system"\)/);
    });
    test('a second gateway in another namespace does not clash on the gateway (only the namespace)', () => {
      const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      build({}, app, 'a');
      build({ revision: 'canary', namespace: 'other' }, app, 'b');
      expect(() => app.synth()).not.toThrow(/installs istio-ingressgateway/);
      expect(() => app.synth()).toThrow(/namespace is not the mesh root namespace/);
    });
    test('a second gateway in the same namespace clashes, a disabled one does not', () => {
      const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      build({}, app, 'a');
      build({ revision: 'canary' }, app, 'b');
      expect(() => app.synth()).toThrow(/c-b\/b: ingressGateway\.enabled installs istio-ingressgateway in istio-system, which c-a\/a installs too/);
      const app2 = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      build({}, app2, 'a');
      build({ revision: 'canary', ingressGateway: { enabled: false } }, app2, 'b');
      expect(() => app2.synth()).not.toThrow();
    });
  });

  describe('autoscale values on every profile', () => {
    const withGateway = new Set([ControlPlaneProfile.DEFAULT, ControlPlaneProfile.DEMO, ControlPlaneProfile.PREVIEW]);
    test.each(Object.values(ControlPlaneProfile))('profile %p: istiod autoscales 2..5; the gateway too where the profile installs one', (profile) => {
      const { c } = build({ profile });
      const spec = only(synth(c), 'IstioOperator').spec;
      expect(spec.profile).toBe(profile === ControlPlaneProfile.DEFAULT ? undefined : profile);
      expect(spec.values.pilot).toEqual({ autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 });
      if (withGateway.has(profile)) {
        expect(spec.values.gateways).toEqual({ 'istio-ingressgateway': { autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 } });
        expect(spec.components.ingressGateways).toEqual([{ name: 'istio-ingressgateway', enabled: true }]);
      } else {
        expect(spec.values.gateways).toBeUndefined();
        expect(spec.components.ingressGateways).toBeUndefined();
      }
    });
    test.each(Object.values(ControlPlaneProfile))('profile %p with the gateway on: autoscale values follow the props', (profile) => {
      const { c } = build({ profile, istiod: { minReplicas: 3 }, ingressGateway: { enabled: true, minReplicas: 6 } });
      const spec = only(synth(c), 'IstioOperator').spec;
      expect(spec.values.pilot).toEqual({ autoscaleEnabled: true, autoscaleMin: 3, autoscaleMax: 5 });
      expect(spec.values.gateways).toEqual({ 'istio-ingressgateway': { autoscaleEnabled: true, autoscaleMin: 6, autoscaleMax: 6 } });
    });
    test.each(Object.values(ControlPlaneProfile))('profile %p with the gateway off: no gateway values', (profile) => {
      const { c } = build({ profile, ingressGateway: { enabled: false } });
      const spec = only(synth(c), 'IstioOperator').spec;
      expect(spec.values.gateways).toBeUndefined();
      // only a profile that would install the gateway needs to be told not to
      expect(spec.components.ingressGateways).toEqual(withGateway.has(profile) ? [{ name: 'istio-ingressgateway', enabled: false }] : undefined);
    });
    test('maxReplicas defaults to max(5, minReplicas), for istiod and the gateway', () => {
      const spec = only(synth(build({ istiod: { minReplicas: 7 }, ingressGateway: { minReplicas: 4 } }).c), 'IstioOperator').spec;
      expect(spec.values.pilot).toEqual({ autoscaleEnabled: true, autoscaleMin: 7, autoscaleMax: 7 });
      expect(spec.values.gateways['istio-ingressgateway']).toEqual({ autoscaleEnabled: true, autoscaleMin: 4, autoscaleMax: 5 });
    });
    test('equal min and max replicas are accepted; one below is refused', () => {
      expect(build({ istiod: { minReplicas: 3, maxReplicas: 3 }, ingressGateway: { minReplicas: 3, maxReplicas: 3 } }).cp.warnings).toEqual([]);
      expect(make({ ingressGateway: { minReplicas: 3, maxReplicas: 2 } })).toThrow(/ingressGateway\.maxReplicas must not be below minReplicas \(3\), got 2/);
    });
    test('one replica warns (istiod and gateway), two do not', () => {
      const one = build({ istiod: { minReplicas: 1, maxReplicas: 1 }, ingressGateway: { minReplicas: 1, maxReplicas: 1 } }).cp;
      expect(one.warnings).toEqual([
        expect.stringMatching(/istiod\.minReplicas leaves a single istiod/),
        expect.stringMatching(/ingressGateway\.minReplicas leaves a single ingress gateway/),
      ]);
      expect(build({ istiod: { minReplicas: 2 }, ingressGateway: { minReplicas: 2 } }).cp.warnings).toEqual([]);
    });
    test('pdbMaxUnavailable: one below minReplicas is accepted, equal is refused; a single istiod takes any', () => {
      expect(only(synth(build({ istiod: { minReplicas: 3, pdbMaxUnavailable: 2 } }).c), 'IstioOperator').spec.components.pilot.k8s.podDisruptionBudget).toEqual({ maxUnavailable: 2 });
      expect(make({ istiod: { minReplicas: 3, pdbMaxUnavailable: 3 } })).toThrow(/istiod\.pdbMaxUnavailable lets a drain evict every istiod at once \(minReplicas is 3\), got 3/);
      expect(make({ istiod: { pdbMaxUnavailable: 1.5 } })).toThrow(/istiod\.pdbMaxUnavailable must be a whole number, 1 or more/);
      const pilot = (props: TunedControlPlaneProps) => only(synth(build(props).c), 'IstioOperator').spec.components.pilot.k8s;
      expect(pilot({ istiod: { minReplicas: 1, maxReplicas: 1, pdbMaxUnavailable: 2 } }).podDisruptionBudget).toEqual({ maxUnavailable: 2 });
    });
    test('anti-affinity NONE is accepted with one replica; any other with maxReplicas 1 is refused; maxReplicas 2 takes REQUIRED', () => {
      const pilot = (props: TunedControlPlaneProps) => only(synth(build(props).c), 'IstioOperator').spec.components.pilot.k8s;
      expect(pilot({ istiod: { minReplicas: 1, maxReplicas: 1 } }).affinity).toBeUndefined(); // the PREFERRED default drops to none
      expect(Object.keys(pilot({ istiod: { minReplicas: 1, maxReplicas: 2, antiAffinity: 'required' as any } }).affinity.podAntiAffinity))
        .toEqual(['requiredDuringSchedulingIgnoredDuringExecution']);
      expect(make({ istiod: { minReplicas: 1, maxReplicas: 1, antiAffinity: 'preferred' as any } })).toThrow(/istiod\.antiAffinity has no effect with a single istiod replica/);
    });
  });

  test('isTunedControlPlane', () => {
    expect(TunedControlPlane.isTunedControlPlane(build().cp)).toBe(true);
    expect(TunedControlPlane.isTunedControlPlane({})).toBe(false);
    expect(TunedControlPlane.isTunedControlPlane(null)).toBe(false);
    expect(TunedControlPlane.isTunedControlPlane('istio')).toBe(false);
  });

  describe('tracing boundaries', () => {
    const zipkin = TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local');
    const otel = TracingProvider.openTelemetry('otel', 'otel-collector.observability.svc.cluster.local');
    test('Telemetry sampling 0 and 100 are accepted; just outside is refused', () => {
      expect(only(synth(build({ tracing: TracingSampling.telemetry(0, otel) }).c), 'Telemetry').spec.tracing[0].randomSamplingPercentage).toBe(0);
      expect(only(synth(build({ tracing: TracingSampling.telemetry(100, otel) }).c), 'Telemetry').spec.tracing[0].randomSamplingPercentage).toBe(100);
      expect(make({ tracing: TracingSampling.telemetry(100.01, otel) })).toThrow(/tracing\.percent must be a percentage from 0 to 100.*got 100\.01/);
      expect(make({ tracing: TracingSampling.telemetry(-0.01, otel) })).toThrow(/tracing\.percent must be a percentage from 0 to 100.*got -0\.01/);
    });
    test('meshConfig sampling: 0.01 is accepted, 0 is refused', () => {
      expect(only(synth(build({ tracing: TracingSampling.meshConfig(0.01, zipkin) }).c), 'IstioOperator').spec.meshConfig.defaultConfig.tracing)
        .toEqual({ sampling: 0.01, zipkin: { address: 'zipkin.istio-system.svc.cluster.local:9411' } });
      expect(make({ tracing: TracingSampling.meshConfig(0, zipkin) })).toThrow(/tracing\.percent of 0 in meshConfig/);
    });
    test('more than 10% warns, 10% does not', () => {
      expect(build({ tracing: TracingSampling.telemetry(10, otel) }).cp.warnings).toEqual([]);
      expect(build({ tracing: TracingSampling.telemetry(10.01, otel) }).cp.warnings).toEqual([expect.stringMatching(/tracing\.percent traces more than 10% of requests.*got 10\.01/)]);
    });
    test('meshConfig takes a Zipkin tracer only', () => {
      expect(make({ tracing: TracingSampling.meshConfig(1, otel) })).toThrow(/tracing\.provider cannot be the tracer of meshConfig\.defaultConfig\.tracing.*got "otel"/);
      expect(make({ tracing: TracingSampling.meshConfig(1, TracingProvider.existing('t')) })).toThrow(/tracing\.provider cannot be the tracer/);
      expect(make({ tracing: TracingSampling.meshConfig(1) })).toThrow(/tracing\.provider must name where spans go.*got nothing/);
    });
    test('provider ports: defaults 9411 / 4317, 65535 accepted, 65536 refused', () => {
      const spec = (t: TracingSampling) => only(synth(build({ tracing: t }).c), 'IstioOperator').spec.meshConfig.extensionProviders;
      expect(spec(TracingSampling.telemetry(1, otel))).toEqual([{ name: 'otel', opentelemetry: { service: 'otel-collector.observability.svc.cluster.local', port: 4317 } }]);
      expect(spec(TracingSampling.telemetry(1, zipkin))).toEqual([{ name: 'zipkin', zipkin: { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 } }]);
      expect(spec(TracingSampling.telemetry(1, TracingProvider.zipkin('z', 'z.ns', 65535)))).toEqual([{ name: 'z', zipkin: { service: 'z.ns', port: 65535 } }]);
      expect(make({ tracing: TracingSampling.telemetry(1, TracingProvider.openTelemetry('o', 'o.ns', 65536)) })).toThrow(/tracing\.provider\.port must be a whole number from 1 to 65535, got 65536: use the collector's port \(4317\)/);
      expect(make({ tracing: TracingSampling.telemetry(1, TracingProvider.zipkin('z', 'z.ns', 0)) })).toThrow(/use the collector's port \(9411\)/);
    });
    test.each(['a', 'otel.tracing_v2-x', 'A1'])('provider name %p is accepted', (name) => {
      expect(build({ tracing: TracingSampling.telemetry(1, TracingProvider.existing(name)) }).cp.tracing?.provider?.name).toBe(name);
    });
    test.each(['-a', 'a-', 'a b', '_a', 'a.'])('provider name %p is refused', (name) => {
      expect(make({ tracing: TracingSampling.telemetry(1, TracingProvider.existing(name)) })).toThrow(/tracing\.provider\.name must be a non-empty name/);
    });
    test.each(['Otel.ns', 'otel.ns:4317', 'otel.', '.otel', 'otel..ns', 'otel ns'])('provider service %p is refused', (service) => {
      expect(make({ tracing: TracingSampling.telemetry(1, TracingProvider.openTelemetry('o', service)) })).toThrow(/tracing\.provider\.service must be a lowercase host name/);
      expect(make({ tracing: TracingSampling.telemetry(1, TracingProvider.existing('o', service)) })).toThrow(/tracing\.provider\.service must be a lowercase host name/);
    });
    test.each([
      ['otel', '*/otel'],
      ['otel.obs', 'obs/otel.obs'],
      ['otel.obs.svc', 'obs/otel.obs.svc'],
      ['otel.obs.svc.cluster.local', 'obs/otel.obs.svc.cluster.local'],
      ['otel.example.com', '*/otel.example.com'],
    ])('collector %p is reached through the Sidecar egress host %p', (service, host) => {
      expect(build({ tracing: TracingSampling.telemetry(1, TracingProvider.openTelemetry('o', service)) }).cp._collectorEgressHosts).toEqual([host]);
    });
    test('no tracing, or an existing provider without a host: no egress host', () => {
      expect(build().cp._collectorEgressHosts).toEqual([]);
      expect(build({ tracing: TracingSampling.telemetry(1, TracingProvider.existing('t')) }).cp._collectorEgressHosts).toEqual([]);
    });
  });

  describe('stats inclusion boundaries', () => {
    test.each(['cluster outbound', ' ', 'a\tb'])('an entry with spaces %p is refused', (entry) => {
      expect(make({ statsInclusion: StatsInclusion.prefixes(entry) })).toThrow(/statsInclusion\.prefixes\[0\] must be a non-empty stats name pattern without spaces/);
    });
    test('Mixer is found in any case and in every list', () => {
      expect(make({ statsInclusion: StatsInclusion.regexps('.*MIXER.*') })).toThrow(/statsInclusion\.regexps\[0\] names a Mixer-era stat/);
    });
    test('duplicates are written once; an empty inclusion writes no matcher', () => {
      const matcher = (s: StatsInclusion) => only(synth(build({ statsInclusion: s }).c), 'IstioOperator').spec.meshConfig.defaultConfig.proxyStatsMatcher;
      expect(matcher(StatsInclusion.of({ prefixes: ['a.b', 'a.b'], suffixes: ['x'], regexps: ['r.*', 'r.*'] })))
        .toEqual({ inclusionPrefixes: ['a.b'], inclusionSuffixes: ['x'], inclusionRegexps: ['r.*'] });
      expect(matcher(StatsInclusion.suffixes('upstream_rq_timeout'))).toEqual({ inclusionSuffixes: ['upstream_rq_timeout'] });
      expect(matcher(StatsInclusion.prefixes())).toBeUndefined();
    });
    test('a dot is a literal character in a prefix; an escaped dot is a regex', () => {
      expect(build({ statsInclusion: StatsInclusion.prefixes('cluster.outbound') }).cp).toBeDefined();
      expect(make({ statsInclusion: StatsInclusion.prefixes('^cluster\\.outbound.*$') })).toThrow(/write the literal prefix instead: StatsInclusion\.prefixes\("cluster\.outbound"\)/);
      expect(make({ statsInclusion: StatsInclusion.suffixes('^.*upstream_rq$') })).toThrow(/write the literal suffix instead: StatsInclusion\.suffixes\("upstream_rq"\)/);
    });
    test('a string instead of a list is refused with the list to write', () => {
      expect(make({ statsInclusion: StatsInclusion.of({ prefixes: 'cluster.outbound' as any }) })).toThrow(/statsInclusion\.prefixes must be a list of strings, not one string/);
    });
  });

  describe('props shapes (plain JavaScript)', () => {
    test.each([
      [{ ingressGateway: { cpu: 5 } }, /ingressGateway\.cpu must be an object, got 5: pass \{ request: Cpu\.millis\(100\) \}/],
      [{ ingressGateway: { memory: 'big' } }, /ingressGateway\.memory must be an object, got "big": pass \{ request: Size\.mebibytes\(128\) \}/],
      [{ ingressGateway: 'on' }, /ingressGateway must be an object/],
      [{ ingressGateway: { enabled: 'yes' } }, /ingressGateway\.enabled must be/],
      [{ istiod: { cpu: [] } }, /istiod\.cpu must be an object/],
      [{ istiod: { memory: null } }, /istiod\.memory must be an object/],
      [{ statsInclusion: StatsInclusion.of(null as any) }, /statsInclusion must be an object, got null/],
    ])('%p is refused', (props, message) => {
      expect(make(props as any)).toThrow(message);
    });
  });
});
