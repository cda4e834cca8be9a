// Bad input to the value classes (TrafficPolicy, RetryPolicy, SidecarTuning, DisruptionBudget,
// TopologySpread, HeaderMatch, CallerIdentity, TracingProvider, IngressTls): refused with our
// error naming the construct that uses the value (or the factory), the prop, the value and a fix.
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  CallerIdentity, CanaryRelease, DisruptionBudget, HeaderMatch, IngressTls, MeshedService, MeshedServiceProps, RetryPolicy,
  ServiceIngress, SidecarTuning, TopologySpread, TracingProvider, TracingSampling, TrafficPolicy, TunedControlPlane,
} from '../../src';
import { badInputs, chart, synth } from '../util';

const PATH = 'test/svc';
const base: MeshedServiceProps = { image: 'ghcr.io/acme/shop:1.0', port: 8080 };
const svc = (props: Record<string, unknown>) => () => {
  const { chart: c } = chart();
  new MeshedService(c, 'svc', { ...base, ...props } as any);
  synth(c);
};
const tp = (props: unknown) => svc({ trafficPolicy: TrafficPolicy.of(props as any) });
const rp = (props: unknown) => svc({ retries: RetryPolicy.of(props as any) });
const st = (props: unknown) => svc({ sidecar: SidecarTuning.of(props as any) });
const ts = (props: unknown) => svc({ spread: TopologySpread.of(props as any) });
const canary = (headerOverride: () => HeaderMatch) => () => {
  const { chart: c } = chart();
  const s = new MeshedService(c, 'svc', base);
  s.addVersion('v2', { image: 'ghcr.io/acme/shop:2.0' });
  new CanaryRelease(c, 'canary', { service: s, canaryVersion: 'v2', headerOverride: headerOverride() });
  synth(c);
};
const cp = (tracing: () => TracingSampling) => () => {
  const { chart: c } = chart('istio-system');
  new TunedControlPlane(c, 'cp', { tracing: tracing() });
  synth(c);
};
const ingressTls = (secret: unknown) => () => {
  const { chart: c } = chart();
  const s = new MeshedService(c, 'svc', base);
  new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'], tls: IngressTls.fromSecret(secret as any) });
  synth(c);
};
const allow = (identity: () => CallerIdentity) => () => {
  const { chart: c } = chart();
  new MeshedService(c, 'svc', base).allowCallsFrom(identity());
  synth(c);
};

describe('TrafficPolicy', () => {
  badInputs([
    { name: 'props a string', run: tp('fast'), path: PATH, prop: 'trafficPolicy', value: '"fast"', fix: /TrafficPolicy\.of\(\{ maxConnections: 100 \}\)/ },
    { name: 'props a list', run: tp([1]), path: PATH, prop: 'trafficPolicy', value: '[1]', fix: /TrafficPolicy\.of/ },
    { name: 'maxConnections 0', run: tp({ maxConnections: 0 }), path: PATH, prop: 'trafficPolicy.maxConnections', value: '0', fix: /positive whole number/ },
    { name: 'maxConnections beyond int32', run: tp({ maxConnections: 1e10 }), path: PATH, prop: 'trafficPolicy.maxConnections', value: '10000000000', fix: /positive whole number/ },
    { name: 'maxPendingRequests a string', run: tp({ maxPendingRequests: '10' }), path: PATH, prop: 'trafficPolicy.maxPendingRequests', value: '"10"', fix: /positive whole number/ },
    { name: 'maxRequests fractional', run: tp({ maxRequests: 1.5 }), path: PATH, prop: 'trafficPolicy.maxRequests', value: '1.5', fix: /positive whole number/ },
    { name: 'maxRequestsPerConnection negative', run: tp({ maxRequestsPerConnection: -1 }), path: PATH, prop: 'trafficPolicy.maxRequestsPerConnection', value: '-1', fix: /positive whole number/ },
    { name: 'maxEjectionPercent 101', run: tp({ maxEjectionPercent: 101 }), path: PATH, prop: 'trafficPolicy.maxEjectionPercent', value: '101', fix: /maxEjectionPercent: 50/ },
    { name: 'idleTimeout a number', run: tp({ idleTimeout: 60 }), path: PATH, prop: 'trafficPolicy.idleTimeout', value: '60', fix: /idleTimeout: Duration\.millis\(60\)/ },
    { name: 'idleTimeout sub-millisecond', run: tp({ idleTimeout: Duration.millis(0.1) }), path: PATH, prop: 'trafficPolicy.idleTimeout', value: '"0.1ms"', fix: /Duration\.seconds/ },
    { name: 'tcpKeepaliveTime a string', run: tp({ tcpKeepaliveTime: '5m' }), path: PATH, prop: 'trafficPolicy.tcpKeepaliveTime', value: '"5m"', fix: /Duration\.seconds\(5\)/ },
    { name: 'tcpKeepaliveInterval null', run: tp({ tcpKeepaliveInterval: null }), path: PATH, prop: 'trafficPolicy.tcpKeepaliveInterval', value: 'null', fix: /Duration/ },
    { name: 'maxConnectionDuration zero', run: tp({ maxConnectionDuration: Duration.seconds(0) }), path: PATH, prop: 'trafficPolicy.maxConnectionDuration', value: '"0ms"', fix: /Duration\.seconds/ },
    { name: 'interval a plain object', run: tp({ interval: { seconds: 10 } }), path: PATH, prop: 'trafficPolicy.interval', value: '{"seconds":10}', fix: /Duration\.seconds\(5\)/ },
    { name: 'baseEjectionTime beyond the protobuf range', run: tp({ baseEjectionTime: Duration.days(1e7) }), path: PATH, prop: 'trafficPolicy.baseEjectionTime', value: '"864000000000000ms"', fix: /Duration\.seconds/ },
    { name: 'outlierDetection a string', run: tp({ outlierDetection: 'off' }), path: PATH, prop: 'trafficPolicy.outlierDetection', value: '"off"', fix: /outlierDetection: true .* or false/ },
  ]);
});

describe('RetryPolicy', () => {
  badInputs([
    { name: 'props null', run: rp(null), path: PATH, prop: 'retries', value: 'null', fix: /RetryPolicy\.of\(\{ attempts: 2 \}\)/ },
    { name: 'props a number', run: rp(3), path: PATH, prop: 'retries', value: '3', fix: /RetryPolicy\.of/ },
    { name: 'attempts missing', run: rp({}), path: PATH, prop: 'retries.attempts', value: 'nothing', fix: /attempts: 2/ },
    { name: 'attempts 101', run: rp({ attempts: 101 }), path: PATH, prop: 'retries.attempts', value: '101', fix: /attempts: 2/ },
    { name: 'attempts a string', run: rp({ attempts: '2' }), path: PATH, prop: 'retries.attempts', value: '"2"', fix: /attempts: 2/ },
    { name: "retryOn: '5xx' (one string)", run: rp({ attempts: 2, retryOn: '5xx' }), path: PATH, prop: 'retries.retryOn', value: '"5xx"', fix: /write retryOn: \["5xx"\]/ },
    { name: 'retryOn a comma list in one string', run: rp({ attempts: 2, retryOn: ['5xx,reset'] }), path: PATH, prop: 'retries.retryOn', value: '"5xx,reset"', fix: /one per entry/ },
    { name: 'retryOn a policy istiod refuses', run: rp({ attempts: 2, retryOn: ['server-error'] }), path: PATH, prop: 'retries.retryOn', value: '"server-error"', fix: /"connect-failure", "503"/ },
    { name: 'retryOn a status code Go does not know', run: rp({ attempts: 2, retryOn: ['599'] }), path: PATH, prop: 'retries.retryOn', value: '"599"', fix: /one per entry/ },
    { name: 'retryOn a 1.30-only policy (1.22 refuses it)', run: rp({ attempts: 2, retryOn: ['reset-before-request'] }), path: PATH, prop: 'retries.retryOn', value: '"reset-before-request"', fix: /one per entry/ },
    { name: 'retryOn with an empty entry', run: rp({ attempts: 2, retryOn: [''] }), path: PATH, prop: 'retries.retryOn[0]', value: '""', fix: /connect-failure/ },
    { name: 'retryOn a number', run: rp({ attempts: 2, retryOn: 503 }), path: PATH, prop: 'retries.retryOn', value: '503', fix: /connect-failure/ },
    { name: 'perTryTimeout a number', run: rp({ attempts: 2, perTryTimeout: 2000 }), path: PATH, prop: 'retries.perTryTimeout', value: '2000', fix: /perTryTimeout: Duration\.millis\(2000\)/ },
    { name: 'perTryTimeout sub-millisecond', run: rp({ attempts: 2, perTryTimeout: Duration.millis(0.9) }), path: PATH, prop: 'retries.perTryTimeout', value: '"0.9ms"', fix: /Duration\.seconds/ },
    { name: 'attempts 0 with retryOn (istiod refuses)', run: rp({ attempts: 0, retryOn: ['5xx'] }), path: PATH, prop: 'retries.attempts', value: '0', fix: /RetryPolicy\.none\(\)/ },
  ]);
});

describe('SidecarTuning', () => {
  badInputs([
    { name: 'props a string', run: st('small'), path: PATH, prop: 'sidecar', value: '"small"', fix: /SidecarTuning\.of\(\{ concurrency: 2 \}\)/ },
    { name: 'concurrency 0 without allowAllCores', run: st({ concurrency: 0 }), path: PATH, prop: 'sidecar.concurrency', value: '0', fix: /concurrency to 2/ },
    { name: 'concurrency a string', run: st({ concurrency: '2' }), path: PATH, prop: 'sidecar.concurrency', value: '"2"', fix: /concurrency: 2/ },
    { name: 'concurrency above the CPU limit', run: st({ concurrency: 8 }), path: PATH, prop: 'sidecar.concurrency', value: '8', fix: /lower concurrency to 2/ },
    { name: 'allowAllCores a string', run: st({ allowAllCores: 'yes' }), path: PATH, prop: 'sidecar.allowAllCores', value: '"yes"', fix: /true or false/ },
    { name: 'cpu a string', run: st({ cpu: '100m' }), path: PATH, prop: 'sidecar.cpu', value: '"100m"', fix: /Cpu\.millis\(100\)/ },
    { name: 'cpu request a string', run: st({ cpu: { request: '100m' } }), path: PATH, prop: 'sidecar.cpu.request', value: '"100m"', fix: /Cpu\.millis\(100\)/ },
    { name: 'cpu request below 1m (would be written "0m")', run: st({ cpu: { request: kplus.Cpu.millis(0.3) } }), path: PATH, prop: 'sidecar.cpu.request', value: '"0.3m"', fix: /Cpu\.millis\(1\)/ },
    { name: 'cpu limit fractional millicores', run: st({ cpu: { limit: kplus.Cpu.millis(1500.5) } }), path: PATH, prop: 'sidecar.cpu.limit', value: '"1500.5m"', fix: /Cpu\.millis\(1501\)/ },
    { name: 'memory a number', run: st({ memory: 128 }), path: PATH, prop: 'sidecar.memory', value: '128', fix: /Size\.mebibytes\(128\)/ },
    { name: 'memory limit a string', run: st({ memory: { limit: '1Gi' } }), path: PATH, prop: 'sidecar.memory.limit', value: '"1Gi"', fix: /Size\.mebibytes\(1024\)/ },
    { name: 'memory limit below request', run: st({ memory: { request: Size.mebibytes(256), limit: Size.mebibytes(128) } }), path: PATH, prop: 'sidecar.memory.limit', value: '"128Mi"', fix: /raise the limit/ },
    { name: 'terminationDrainDuration a number', run: st({ terminationDrainDuration: 5 }), path: PATH, prop: 'sidecar.terminationDrainDuration', value: '5', fix: /Duration/ },
    { name: 'terminationDrainDuration longer than the grace period', run: st({ terminationDrainDuration: Duration.seconds(60) }), path: PATH, prop: 'sidecar.terminationDrainDuration', value: '"60s"', fix: /shorten it to 30s/ },
    { name: 'holdApplicationUntilProxyStarts a string', run: st({ holdApplicationUntilProxyStarts: 'true' }), path: PATH, prop: 'sidecar.holdApplicationUntilProxyStarts', value: '"true"', fix: /true .* or false/ },
    { name: 'nativeSidecar a number', run: st({ nativeSidecar: 1 }), path: PATH, prop: 'sidecar.nativeSidecar', value: '1', fix: /true or false/ },
    { name: 'exitOnZeroActiveConnections with a drain duration', run: st({ exitOnZeroActiveConnections: true, terminationDrainDuration: Duration.seconds(5) }), path: PATH, prop: 'sidecar.terminationDrainDuration', value: '"5s"', fix: /remove one of the two/ },
  ]);
});

describe('DisruptionBudget and TopologySpread', () => {
  badInputs([
    { name: 'maxUnavailable 0', run: svc({ disruptionBudget: DisruptionBudget.maxUnavailable(0) }), path: PATH, prop: 'disruptionBudget.maxUnavailable', value: '0', fix: /DisruptionBudget\.maxUnavailable\(1\)/ },
    { name: 'maxUnavailable a string', run: svc({ disruptionBudget: DisruptionBudget.maxUnavailable('1' as any) }), path: PATH, prop: 'disruptionBudget.maxUnavailable', value: '"1"', fix: /maxUnavailable\(1\)/ },
    { name: 'maxUnavailable as many as the replicas', run: svc({ disruptionBudget: DisruptionBudget.maxUnavailable(2) }), path: PATH, prop: 'disruptionBudget.maxUnavailable', value: '2', fix: /set it to 1 or less/ },
    { name: 'minAvailable as many as the replicas', run: svc({ disruptionBudget: DisruptionBudget.minAvailable(2) }), path: PATH, prop: 'disruptionBudget.minAvailable', value: '2', fix: /set it to 1 or less/ },
    { name: 'minAvailable fractional', run: svc({ disruptionBudget: DisruptionBudget.minAvailable(0.5) }), path: PATH, prop: 'disruptionBudget.minAvailable', value: '0.5', fix: /minAvailable\(1\)/ },
    { name: 'spread props a string', run: ts('zones'), path: PATH, prop: 'spread', value: '"zones"', fix: /TopologySpread\.of\(\{ maxSkew: 1 \}\)/ },
    { name: 'spread maxSkew 0', run: ts({ maxSkew: 0 }), path: PATH, prop: 'spread.maxSkew', value: '0', fix: /maxSkew: 1/ },
    { name: 'spread maxSkew beyond int32', run: ts({ maxSkew: 2 ** 31 }), path: PATH, prop: 'spread.maxSkew', value: '2147483648', fix: /maxSkew: 1/ },
    { name: 'spread zones a string', run: ts({ zones: 'yes' }), path: PATH, prop: 'spread.zones', value: '"yes"', fix: /zones: true/ },
    { name: 'spread whenUnsatisfiable unknown', run: ts({ whenUnsatisfiable: 'Never' }), path: PATH, prop: 'spread.whenUnsatisfiable', value: '"Never"', fix: /WhenUnsatisfiable enum/ },
  ]);
});

describe('HeaderMatch', () => {
  const CR = 'test/canary';
  badInputs([
    { name: 'header uppercase', run: canary(() => HeaderMatch.exact('X-Canary', 'true')), path: CR, prop: 'headerOverride.header', value: '"X-Canary"', fix: /"x-canary"/ },
    { name: 'header a number', run: canary(() => HeaderMatch.exact(42 as any, 'true')), path: CR, prop: 'headerOverride.header', value: '42', fix: /e\.g\. "42"/ },
    { name: 'header undefined', run: canary(() => HeaderMatch.exact(undefined as any, 'true')), path: CR, prop: 'headerOverride.header', value: 'nothing', fix: /"x-canary"/ },
    { name: 'header a pseudo key', run: canary(() => HeaderMatch.exact('uri', '/x')), path: CR, prop: 'headerOverride.header', value: '"uri"', fix: /"x-canary"/ },
    { name: 'value empty', run: canary(() => HeaderMatch.exact('x-canary', '')), path: CR, prop: 'headerOverride.value', value: '""', fix: /"true"/ },
    { name: 'value a number', run: canary(() => HeaderMatch.prefix('x-canary', 1 as any)), path: CR, prop: 'headerOverride.value', value: '1', fix: /"true"/ },
    { name: 'value with a control character', run: canary(() => HeaderMatch.exact('x-canary', 'a\nb')), path: CR, prop: 'headerOverride.value', value: '"a\\nb"', fix: /printable/ },
    { name: 'value longer than Envoy\'s header limit', run: canary(() => HeaderMatch.exact('x-canary', 'a'.repeat(61 * 1024))), path: CR, prop: 'headerOverride.value', value: `"${'a'.repeat(40)}... (62464 bytes)"`, fix: /short marker value/ },
    { name: 'regex RE2 refuses: a{1001}', run: canary(() => HeaderMatch.regex('x-canary', 'a{1001}')), path: CR, prop: 'headerOverride.pattern', value: '"a{1001}"', fix: /1000 or less/ },
    { name: 'regex RE2 refuses: a{2,5000}', run: canary(() => HeaderMatch.regex('x-canary', 'a{2,5000}')), path: CR, prop: 'headerOverride.pattern', value: '"a{2,5000}"', fix: /1000 or less/ },
    { name: 'regex RE2 refuses: \\Z', run: canary(() => HeaderMatch.regex('x-canary', 'abc\\Z')), path: CR, prop: 'headerOverride.pattern', value: '"abc\\\\Z"', fix: /use \\z/ },
    { name: 'regex RE2 refuses: \\G', run: canary(() => HeaderMatch.regex('x-canary', '\\Gabc')), path: CR, prop: 'headerOverride.pattern', value: '"\\\\Gabc"', fix: /HeaderMatch\.exact/ },
    { name: 'regex with a lookahead', run: canary(() => HeaderMatch.regex('x-canary', '(?=a)b')), path: CR, prop: 'headerOverride.pattern', value: '"(?=a)b"', fix: /without \(\?=/ },
    { name: 'regex with a backreference', run: canary(() => HeaderMatch.regex('x-canary', '(a)\\1')), path: CR, prop: 'headerOverride.pattern', value: '"(a)\\\\1"', fix: /without \\1/ },
    { name: 'regex that does not compile', run: canary(() => HeaderMatch.regex('x-canary', '(')), path: CR, prop: 'headerOverride.pattern', value: '"("', fix: /RE2 syntax/ },
    { name: 'regex too long', run: canary(() => HeaderMatch.regex('x-canary', 'a'.repeat(1025))), path: CR, prop: 'headerOverride.pattern', value: `"${'a'.repeat(40)}..."`, fix: /shorter pattern/ },
  ]);
});

describe('CallerIdentity', () => {
  badInputs([
    { name: 'of: not a service', run: allow(() => CallerIdentity.of('frontend' as any)), path: 'CallerIdentity.of', prop: 'service', value: '"frontend"', fix: /calling MeshedService/ },
    { name: 'of: undefined', run: allow(() => CallerIdentity.of(undefined as any)), path: 'CallerIdentity.of', prop: 'service', value: 'nothing', fix: /calling MeshedService/ },
    { name: 'namespace uppercase', run: allow(() => CallerIdentity.namespace('Shop')), path: 'CallerIdentity.namespace', prop: 'namespace', value: '"Shop"', fix: /callers' namespace/ },
    { name: 'namespace a number', run: allow(() => CallerIdentity.namespace(1 as any)), path: 'CallerIdentity.namespace', prop: 'namespace', value: '1', fix: /namespace/ },
    { name: 'serviceAccount name with spaces', run: allow(() => CallerIdentity.serviceAccount('shop', 'front end')), path: 'CallerIdentity.serviceAccount', prop: 'name', value: '"front end"', fix: /ServiceAccount's name/ },
    { name: 'serviceAccount namespace empty', run: allow(() => CallerIdentity.serviceAccount('', 'frontend')), path: 'CallerIdentity.serviceAccount', prop: 'namespace', value: '""', fix: /namespace the ServiceAccount lives in/ },
    { name: 'fromPrincipal malformed', run: allow(() => CallerIdentity.fromPrincipal('frontend')), path: 'CallerIdentity.fromPrincipal', prop: 'principal', value: '"frontend"', fix: /"cluster\.local\/ns\/shop\/sa\/checkout"/ },
    { name: 'allowCallsFrom a string', run: allow(() => 'frontend' as any), path: PATH, prop: 'allowCallsFrom', value: '"frontend"', fix: /CallerIdentity/ },
  ]);
});

describe('TracingProvider, TracingSampling and IngressTls', () => {
  const CP = 'test/cp';
  badInputs([
    { name: 'provider name empty', run: cp(() => TracingSampling.telemetry(1, TracingProvider.zipkin('', 'zipkin.istio-system.svc.cluster.local'))), path: CP, prop: 'tracing.provider.name', value: '""', fix: /"otel-tracing"/ },
    { name: 'provider service with a scheme', run: cp(() => TracingSampling.telemetry(1, TracingProvider.zipkin('zipkin', 'http://zipkin:9411'))), path: CP, prop: 'tracing.provider.service', value: '"http://zipkin:9411"', fix: /"otel-collector\.observability\.svc\.cluster\.local"/ },
    { name: 'provider port 0', run: cp(() => TracingSampling.telemetry(1, TracingProvider.openTelemetry('otel', 'otel.observability.svc.cluster.local', 0))), path: CP, prop: 'tracing.provider.port', value: '0', fix: /4317/ },
    { name: 'provider port a string', run: cp(() => TracingSampling.telemetry(1, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local', '9411' as any))), path: CP, prop: 'tracing.provider.port', value: '"9411"', fix: /9411/ },
    { name: 'sampling percent 101', run: cp(() => TracingSampling.telemetry(101, TracingProvider.zipkin('zipkin', 'zipkin.istio-system.svc.cluster.local'))), path: CP, prop: 'tracing.percent', value: '101', fix: /TracingSampling\.telemetry\(1,/ },
    { name: 'sampling provider missing', run: cp(() => TracingSampling.telemetry(1, undefined as any)), path: CP, prop: 'tracing.provider', value: 'nothing', fix: /TracingProvider\.openTelemetry/ },
    { name: 'tracing a plain object', run: cp(() => ({ percent: 1 }) as any), path: CP, prop: 'tracing', value: '{"percent":1}', fix: /TracingSampling\.telemetry/ },
    { name: 'IngressTls secret uppercase', run: ingressTls('Shop_TLS'), path: 'test/in', prop: 'tls.secretName', value: '"Shop_TLS"', fix: /IngressTls\.fromSecret\("shop-example-com-tls"\)/ },
    { name: 'IngressTls secret undefined', run: ingressTls(undefined), path: 'test/in', prop: 'tls.secretName', value: 'nothing', fix: /IngressTls\.fromSecret\("shop-example-com-tls"\)/ },
    { name: 'IngressTls secret empty', run: ingressTls(''), path: 'test/in', prop: 'tls.secretName', value: '""', fix: /IngressTls\.fromSecret\("shop-example-com-tls"\)/ },
  ]);
});
