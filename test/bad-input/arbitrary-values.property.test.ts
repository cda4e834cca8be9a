// Plain-JavaScript callers pass anything. For every construct and value class: props built from
// arbitrary JS values (fc.anything(), and values close to valid ones) either are refused with our
// error, or synthesize to output the shared validator accepts. Never a crash.
import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import {
  CallerIdentity, CanaryRelease, DefaultDeny, DisruptionBudget, ExternalProtocol, ExternalService, HeaderMatch, IngressTls, MeshedService,
  MeshedServiceProps, MtlsMigration, MtlsMode, MtlsScope, OutsideClient, RetryPolicy, ServiceIngress, SidecarTuning, StatsInclusion,
  TopologySpread, TracingProvider, TracingSampling, TrafficPolicy, TunedControlPlane,
} from '../../src';
import { chart, ForValidator, isLibraryError, Obj, synth } from '../util';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const base: MeshedServiceProps = { image: 'ghcr.io/acme/shop:1.0', port: 8080 };

/** Values a caller gets nearly right, or wrong in the usual ways, and anything at all. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.anything() },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(undefined, null, '', 'x', 'UPPER', 'npm start', '5xx', -1, 0, 1, 2, 80, 1e10, NaN, Infinity, 1.5, [], ['a'], ['5xx'],
      {}, { attempts: 2 }, true, false, 'true', Duration.seconds(5), Duration.millis(0.5), Duration.days(1e7), Size.mebibytes(64),
      kplus.Cpu.millis(0.5), kplus.Cpu.millis(100), kplus.EnvValue.fromValue('x'), { request: kplus.Cpu.millis(100) }, 'v2', 'shop', 'http', 'tcp'),
  },
);
/** `valid` mostly, sometimes anything. */
const mostly = (valid: unknown) => fc.oneof({ weight: 2, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: value });

/** One or two of `keys` set to arbitrary values (more would nearly always hit a refusal, and test little else). */
const overrides = (keys: string[]): fc.Arbitrary<Record<string, unknown>> => fc.subarray(keys, { minLength: 0, maxLength: 2 })
  .chain((ks) => fc.tuple(...ks.map(() => value)).map((vs) => {
    const o = Object.fromEntries(ks.map((k, i) => [k, vs[i]]));
    if (ks.length === 0) NOTHING_OVERRIDDEN.add(o);
    return o;
  }));
/** The override objects that set no key (see `untouched`). */
const NOTHING_OVERRIDDEN = new WeakSet<object>();

const validated = new ForValidator();
const KEEP = Number(process.env.FUZZ_KEEP ?? 12);

/** True for an input that overrides nothing (or a tuple of such): the valid base props, which must synthesize. */
const untouched = (x: unknown): boolean => (typeof x === 'object' && x !== null && NOTHING_OVERRIDDEN.has(x))
  || (Array.isArray(x) && x.length > 0 && x.every(untouched));

/**
 * Runs `build` over arbitrary inputs: each run throws our error or returns objects, of which the
 * first few are set aside for the validator. An input that overrides nothing is valid: it must
 * synthesize (an error for it fails the test).
 */
function fuzz<T>(title: string, arb: fc.Arbitrary<T>, build: (input: T) => Obj[]): void {
  test(title, () => {
    let kept = 0;
    let accepted = 0;
    fc.assert(fc.property(arb, (input) => {
      let out: Obj[];
      try {
        out = build(input);
      } catch (e) {
        if (!isLibraryError(e) || untouched(input)) throw e;
        return;
      }
      accepted++;
      if (kept++ < KEEP) validated.add(out);
    }), { numRuns: RUNS });
    if (process.env.FUZZ_COUNTS) console.log(`${title}: ${accepted} of ${RUNS} accepted`);
  });
}

const inShop = (fn: (c: ReturnType<typeof chart>['chart'], s: MeshedService) => void, namespace = 'shop') => {
  const { chart: c } = chart(namespace);
  const s = new MeshedService(c, 'svc', base);
  fn(c, s);
  return synth(c);
};

describe('arbitrary JS values: our error or valid output, never a crash', () => {
  const serviceKeys = ['image', 'port', 'name', 'servicePort', 'protocol', 'version', 'namespace', 'serviceAccountName', 'injectSidecar',
    'allowUndeclaredEgress', 'sidecar', 'trafficPolicy', 'timeout', 'retries', 'istioApiVersion', 'resources', 'readiness', 'liveness',
    'startup', 'securityContext', 'maxInboundConnections', 'replicas', 'disruptionBudget', 'spread', 'terminationGracePeriod',
    'envVariables', 'command', 'args'];
  fuzz('MeshedService props', overrides(serviceKeys), (o) => {
    const { chart: c } = chart();
    new MeshedService(c, 'svc', { ...base, ...o } as any);
    return synth(c);
  });
  fuzz('MeshedService props object itself', fc.oneof(value, fc.anything().map((extra) => ({ ...base, extra }))), (o) => {
    const { chart: c } = chart();
    new MeshedService(c, 'svc', o as any);
    return synth(c);
  });
  fuzz('MeshedService.addVersion', fc.tuple(mostly('v2'), overrides(['image', 'replicas', 'disruptionBudget', 'spread', 'terminationGracePeriod', 'envVariables', 'command', 'args'])),
    ([version, o]) => inShop((_c, s) => s.addVersion(version as any, { image: 'ghcr.io/acme/shop:2.0', ...o } as any)));
  fuzz('MeshedService.talksTo', fc.oneof(value, overrides(['port', 'connections', 'concurrentRequests', 'streamsPerConnection'])),
    (o) => inShop((c, s) => new MeshedService(c, 'caller', base).talksTo(s, o as any)));
  fuzz('CanaryRelease', overrides(['stableVersion', 'canaryVersion', 'canaryWeight', 'headerOverride', 'mirrorPercent', 'steps', 'currentStep']),
    (o) => inShop((c, s) => {
      s.addVersion('v2', { image: 'ghcr.io/acme/shop:2.0' });
      new CanaryRelease(c, 'canary', { service: s, canaryVersion: 'v2', ...o } as any);
    }));
  fuzz('TunedControlPlane', fc.tuple(overrides(['name', 'profile', 'revision', 'hub', 'tag', 'namespace', 'istiod', 'concurrency', 'allowAllCores',
    'holdApplicationUntilProxyStarts', 'statsInclusion', 'tracing', 'ingressGateway', 'istioApiVersion']), overrides(['minReplicas', 'maxReplicas', 'antiAffinity', 'pdbMaxUnavailable', 'cpu', 'memory'])),
  ([o, istiod]) => {
    const { chart: c } = chart('istio-system');
    new TunedControlPlane(c, 'cp', { ...o, ...(Object.keys(istiod).length ? { istiod } : {}) } as any);
    return synth(c);
  });
  fuzz('MtlsMigration', fc.tuple(overrides(['rootNamespace', 'meshMode', 'meshModeReason', 'outsideClients', 'istioApiVersion']), overrides(['scope', 'mode', 'reason', 'portExceptions'])),
    ([o, p]) => inShop((c, s) => new MtlsMigration(c, 'mtls', {
      policies: [{ scope: MtlsScope.workload(s), mode: MtlsMode.STRICT, ...p }],
      outsideClients: [OutsideClient.named('monitoring', 'prometheus', { calls: [MtlsScope.namespace('monitoring')] })],
      ...o,
    } as any)));
  fuzz('ExternalService', fc.tuple(overrides(['host', 'ports', 'serviceEntry', 'namespace', 'endpoints', 'maxInboundConnections', 'trafficPolicy', 'istioApiVersion']), overrides(['number', 'protocol', 'name'])),
    ([o, port]) => {
      const { chart: c } = chart();
      new ExternalService(c, 'ext', { host: 'api.stripe.com', ports: [{ number: 443, protocol: ExternalProtocol.TLS, ...port }], ...o } as any);
      return synth(c);
    });
  fuzz('ServiceIngress', overrides(['hosts', 'pathPrefixes', 'tls', 'httpsRedirect', 'api', 'name', 'istioApiVersion']),
    (o) => inShop((c, s) => new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'], ...o } as any)));
  fuzz('DefaultDeny', fc.oneof(value, overrides(['namespace', 'istioApiVersion'])), (o) => {
    const { chart: c } = chart();
    new DefaultDeny(c, 'deny', o as any);
    return synth(c);
  });
  fuzz('TrafficPolicy', fc.oneof(value, overrides(['maxConnections', 'maxPendingRequests', 'maxRequests', 'maxRequestsPerConnection', 'idleTimeout',
    'tcpKeepaliveTime', 'tcpKeepaliveInterval', 'maxConnectionDuration', 'outlierDetection', 'interval', 'baseEjectionTime', 'maxEjectionPercent'])),
  (o) => {
    const { chart: c } = chart();
    new MeshedService(c, 'svc', { ...base, trafficPolicy: TrafficPolicy.of(o as any) });
    return synth(c);
  });
  fuzz('RetryPolicy', fc.oneof(value, overrides(['attempts', 'perTryTimeout', 'retryOn']).map((o) => ({ attempts: 2, ...o }))), (o) => {
    const { chart: c } = chart();
    new MeshedService(c, 'svc', { ...base, retries: RetryPolicy.of(o as any) });
    return synth(c);
  });
  fuzz('SidecarTuning', fc.oneof(value, overrides(['concurrency', 'allowAllCores', 'cpu', 'memory', 'holdApplicationUntilProxyStarts',
    'terminationDrainDuration', 'exitOnZeroActiveConnections', 'nativeSidecar'])), (o) => {
    const { chart: c } = chart();
    new MeshedService(c, 'svc', { ...base, sidecar: SidecarTuning.of(o as any) });
    return synth(c);
  });
  fuzz('DisruptionBudget and TopologySpread', fc.tuple(mostly(1), mostly(1), fc.oneof(value, overrides(['zones', 'nodes', 'maxSkew', 'whenUnsatisfiable']))), ([a, b, spread]) => {
    const { chart: c } = chart();
    new MeshedService(c, 'svc', { ...base, disruptionBudget: DisruptionBudget.maxUnavailable(a as any), spread: TopologySpread.of(spread as any) });
    new MeshedService(c, 'other', { ...base, disruptionBudget: DisruptionBudget.minAvailable(b as any) });
    return synth(c);
  });
  fuzz('HeaderMatch', fc.tuple(fc.constantFrom('exact', 'prefix', 'regex'), mostly('x-canary'), mostly('true')), ([kind, h, v]) => inShop((c, s) => {
    s.addVersion('v2', { image: 'ghcr.io/acme/shop:2.0' });
    new CanaryRelease(c, 'canary', { service: s, canaryVersion: 'v2', headerOverride: (HeaderMatch as any)[kind](h, v) });
  }));
  fuzz('CallerIdentity', fc.tuple(fc.constantFrom('namespace', 'serviceAccount', 'fromPrincipal', 'of'), mostly('shop'), mostly('frontend')), ([kind, a, b]) => inShop((_c, s) => {
    s.allowCallsFrom((CallerIdentity as any)[kind](a, b));
  }));
  fuzz('TracingProvider and TracingSampling', fc.tuple(fc.constantFrom('zipkin', 'openTelemetry', 'existing'), mostly('zipkin'), mostly('zipkin.istio-system.svc.cluster.local'), mostly(undefined), mostly(1)), ([kind, name, service, port, percent]) => {
    const { app, chart: c } = chart('istio-system');
    const telemetryChart = new Chart(app, 'telemetry', { namespace: 'istio-system' });
    new TunedControlPlane(c, 'cp', { tracing: TracingSampling.telemetry(percent as any, (TracingProvider as any)[kind](name, service, port)), telemetryChart });
    return [...synth(c), ...synth(telemetryChart)];
  });
  fuzz('IngressTls', mostly('shop-tls'), (secret) => inShop((c, s) => new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'], tls: IngressTls.fromSecret(secret as any) })));
  fuzz('StatsInclusion', fc.oneof(value, overrides(['prefixes', 'suffixes', 'regexps'])), (o) => {
    const { chart: c } = chart('istio-system');
    new TunedControlPlane(c, 'cp', { statsInclusion: StatsInclusion.of(o as any) });
    return synth(c);
  });
  validated.test();
});
