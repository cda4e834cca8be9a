// Boundaries of TrafficPolicy and RetryPolicy: the last value accepted (and where it lands in the
// DestinationRule or VirtualService) next to the first value refused, with the whole message.
// Istio's rules: istio/istio pkg/config/validation/validation.go (1.30.3) validateConnectionPool,
// validateOutlierDetection (ValidatePercent: 0..100) and validateHTTPRetry; durations through
// pkg/config/validation/agent/validation.go ValidateDuration ("duration must be greater than 1ms").
import { Duration } from 'cdk8s';
import { MeshedService, RetryPolicy, TrafficPolicy, TrafficPolicyProps } from '../src';
import { chart, expectRefused, Obj, only, synth, synthService } from './util';

const PATH = 'test/svc';
const INT32_MAX = 2 ** 31 - 1;

const build = (props: Record<string, unknown>): Obj[] => synthService(props);
const policy = (props: TrafficPolicyProps) => only(build({ trafficPolicy: TrafficPolicy.of(props) }), 'DestinationRule').spec.trafficPolicy;
const retries = (r: RetryPolicy) => only(build({ retries: r }), 'VirtualService').spec.http[0].retries;

describe('TrafficPolicy defaults', () => {
  test('every default, where it is written', () => {
    expect(policy({})).toEqual({
      connectionPool: { tcp: { maxConnections: 1024, tcpKeepalive: { time: '300s', interval: '75s' } } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
    });
    expect(TrafficPolicy.defaults().maxConnections).toBe(1024);
    expect(TrafficPolicy.defaults().maxRequestsPerConnection).toBeUndefined();
  });

  test('outlierDetection: false writes none; true writes the defaults', () => {
    expect(policy({ outlierDetection: false }).outlierDetection).toBeUndefined();
    expect(policy({ outlierDetection: true }).outlierDetection).toEqual({ consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 });
  });

  test('each version\'s DestinationRule carries the same policy', () => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', { image: 'ghcr.io/acme/shop:1.0', port: 8080, trafficPolicy: TrafficPolicy.of({ maxConnections: 7 }) });
    s.addVersion('v2');
    const objs = synth(c);
    for (const name of ['svc', 'svc-v1', 'svc-v2']) {
      expect(only(objs, 'DestinationRule', name).spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(7);
    }
  });
});

describe('TrafficPolicy counts: 1 to 2147483647 (int32 fields of the DestinationRule)', () => {
  const where: Array<[keyof TrafficPolicyProps, (tp: any) => unknown]> = [
    ['maxConnections', (tp) => tp.connectionPool.tcp.maxConnections],
    ['maxPendingRequests', (tp) => tp.connectionPool.http.http1MaxPendingRequests],
    ['maxRequests', (tp) => tp.connectionPool.http.http2MaxRequests],
    ['maxRequestsPerConnection', (tp) => tp.connectionPool.http.maxRequestsPerConnection],
    ['consecutive5xxErrors', (tp) => tp.outlierDetection.consecutive5xxErrors],
  ];

  test.each(where.flatMap(([key, at]) => [[key, 1, at], [key, INT32_MAX, at]] as const))('%s %d is accepted and written', (key, value, at) => {
    expect(at(policy({ [key]: value }))).toBe(value);
  });

  test.each(where.flatMap(([key]) => [[key, 0], [key, -1], [key, INT32_MAX + 1]] as const))('%s %d is refused', (key, value) => {
    expectRefused(() => policy({ [key]: value }),
      `${PATH}: trafficPolicy.${key} must be a whole number from 1 to 2147483647, got ${value}: set ${key} to a positive whole number, or leave it unset for the default`);
  });

  test('the http block is written only when an http field is set', () => {
    expect(policy({ maxConnections: 10 }).connectionPool.http).toBeUndefined();
    expect(policy({ maxRequests: 10 }).connectionPool.http).toEqual({ http2MaxRequests: 10 });
  });
});

describe('TrafficPolicy maxEjectionPercent: 0 to 100 (istiod ValidatePercent)', () => {
  test.each([0, 1, 100])('%d is accepted and written', (maxEjectionPercent) => {
    expect(policy({ maxEjectionPercent }).outlierDetection.maxEjectionPercent).toBe(maxEjectionPercent);
  });

  test.each([-1, 101, 50.5])('%d is refused', (maxEjectionPercent) => {
    expectRefused(() => policy({ maxEjectionPercent }),
      `${PATH}: trafficPolicy.maxEjectionPercent must be a whole number from 0 to 100, got ${maxEjectionPercent}: set maxEjectionPercent: 50 (the default)`);
  });
});

describe('TrafficPolicy durations: at least 1 ms, whole milliseconds (istiod ValidateDuration)', () => {
  const where: Array<[keyof TrafficPolicyProps, (tp: any) => unknown]> = [
    ['idleTimeout', (tp) => tp.connectionPool.http.idleTimeout],
    ['tcpKeepaliveTime', (tp) => tp.connectionPool.tcp.tcpKeepalive.time],
    ['tcpKeepaliveInterval', (tp) => tp.connectionPool.tcp.tcpKeepalive.interval],
    ['maxConnectionDuration', (tp) => tp.connectionPool.tcp.maxConnectionDuration],
    ['interval', (tp) => tp.outlierDetection.interval],
    ['baseEjectionTime', (tp) => tp.outlierDetection.baseEjectionTime],
  ];

  test.each(where)('%s of 1 ms is accepted and written', (key, at) => {
    expect(at(policy({ [key]: Duration.millis(1) }))).toBe('1ms');
    expect(at(policy({ [key]: Duration.millis(1500) }))).toBe('1500ms');
    expect(at(policy({ [key]: Duration.minutes(2) }))).toBe('120s');
  });

  test.each(where)('%s of 0 ms is refused', (key) => {
    expectRefused(() => policy({ [key]: Duration.millis(0) }),
      `${PATH}: trafficPolicy.${key} must be at least 1 millisecond (istiod ValidateDuration refuses shorter durations), got "0ms": set ${key} to Duration.seconds(...)`);
  });

  test.each(where)('%s of 1.5 ms is refused with the rounded fix', (key) => {
    expectRefused(() => policy({ [key]: Duration.millis(1.5) }),
      `${PATH}: trafficPolicy.${key} must be whole milliseconds (istiod ValidateDuration: "only durations to ms precision are supported"), got "1.5ms": round it, e.g. Duration.millis(2)`);
  });

  test('the longest protobuf Duration is accepted, one second more is refused', () => {
    expect(policy({ baseEjectionTime: Duration.seconds(315_576_000_000) }).outlierDetection.baseEjectionTime).toBe('315576000000s');
    expectRefused(() => policy({ baseEjectionTime: Duration.seconds(315_576_000_001) }),
      `${PATH}: trafficPolicy.baseEjectionTime must be at most 315576000000 seconds (the protobuf Duration range), got "315576000001000ms"`);
  });
});

describe('RetryPolicy', () => {
  test('none() writes attempts 0 and nothing else', () => {
    expect(retries(RetryPolicy.none())).toEqual({ attempts: 0 });
  });

  test('attempts 0 alone, or with an empty retryOn, is accepted', () => {
    expect(retries(RetryPolicy.of({ attempts: 0 }))).toEqual({ attempts: 0 });
    expect(retries(RetryPolicy.of({ attempts: 0, retryOn: [] }))).toEqual({ attempts: 0 });
  });

  test.each([
    ['perTryTimeout', { perTryTimeout: Duration.seconds(1) }],
    ['retryOn', { retryOn: ['5xx'] }],
  ])('attempts 0 with %s is refused (validateHTTPRetry: "http retry policy configured when attempts are set to 0")', (_what, more) => {
    expectRefused(() => retries(RetryPolicy.of({ attempts: 0, ...more })),
      `${PATH}: retries.attempts turns retries off, and istiod refuses perTryTimeout or retryOn with it, got 0: use RetryPolicy.none(), or set attempts: 2`);
  });

  test('attempts 1 with perTryTimeout and retryOn is accepted and written', () => {
    expect(retries(RetryPolicy.of({ attempts: 1, perTryTimeout: Duration.millis(1), retryOn: ['5xx', '503'] })))
      .toEqual({ attempts: 1, perTryTimeout: '1ms', retryOn: '5xx,503' });
  });

  test('attempts 100 is accepted; 101 and -1 are refused', () => {
    expect(retries(RetryPolicy.of({ attempts: 100 })).attempts).toBe(100);
    for (const attempts of [101, -1]) {
      expectRefused(() => retries(RetryPolicy.of({ attempts })),
        `${PATH}: retries.attempts must be a whole number from 0 to 100, got ${attempts}: set attempts: 2 (Istio's default) or 0 to turn retries off`);
    }
  });

  test('perTryTimeout 0 ms is refused', () => {
    expectRefused(() => retries(RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.millis(0) })),
      `${PATH}: retries.perTryTimeout must be at least 1 millisecond (istiod ValidateDuration refuses shorter durations), got "0ms": set perTryTimeout to Duration.seconds(...)`);
  });

  // supportedRetryOnPolicies of istio/istio pkg/config/validation/validation.go that 1.22.8 and 1.30.3 both accept.
  const POLICIES = ['5xx', 'gateway-error', 'reset', 'connect-failure', 'retriable-4xx', 'refused-stream', 'retriable-status-codes',
    'retriable-headers', 'envoy-ratelimited', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable'];

  test.each(POLICIES)('retryOn %s is accepted', (cond) => {
    expect(retries(RetryPolicy.of({ attempts: 2, retryOn: [cond] })).retryOn).toBe(cond);
  });

  test.each(['100', '200', '418', '503', '511', '+503'])('retryOn status code %s is accepted (strconv.Atoi and http.StatusText)', (cond) => {
    expect(retries(RetryPolicy.of({ attempts: 2, retryOn: [cond] })).retryOn).toBe(cond);
  });

  test.each(['99', '512', '-503', '5xx ', 'GATEWAY-ERROR', 'reset-before-request', 'http3-post-connect-failure'])('retryOn %j is refused, and the message lists every accepted policy', (cond) => {
    expectRefused(() => retries(RetryPolicy.of({ attempts: 2, retryOn: [cond] })),
      `${PATH}: retries.retryOn is not a retryOn policy istiod accepts (${POLICIES.join(', ')}, or an HTTP status code), got ${JSON.stringify(cond)}: use one of those, one per entry, e.g. ["connect-failure", "503"]`);
  });

  test('the second bad entry is named too', () => {
    expectRefused(() => retries(RetryPolicy.of({ attempts: 2, retryOn: ['5xx', 'nope'] })), `${PATH}: retries.retryOn is not a retryOn policy istiod accepts`);
  });
});
