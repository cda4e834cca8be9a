// Boundaries of SidecarTuning, DisruptionBudget, TopologySpread and HeaderMatch as a MeshedService
// or CanaryRelease uses them: the last value accepted (and what it writes) next to the first value
// refused, with the whole message.
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CanaryRelease, DisruptionBudget, HeaderMatch, MeshedService, SidecarTuning, TopologySpread, WhenUnsatisfiable } from '../src';
import { all, chart, expectRefused, Obj, only, synth, synthService } from './util';

const PATH = 'test/svc';
const INT32_MAX = 2 ** 31 - 1;

const build = (props: Record<string, unknown>): Obj[] => synthService(props);
const template = (objs: Obj[]) => only(objs, 'Deployment').spec.template;
const annotations = (props: Record<string, unknown>) => template(build(props)).metadata.annotations ?? {};
const proxyConfig = (props: Record<string, unknown>) => JSON.parse(annotations(props)['proxy.istio.io/config']);

describe('SidecarTuning: concurrency against the CPU limit (one worker per core)', () => {
  test.each([
    [2, 2000],
    [1, 1000],
    [1, 500],
    [3, 2001],
    [4, 4000],
  ])('%d workers under a %dm limit are accepted and written', (concurrency, millis) => {
    const sidecar = SidecarTuning.of({ concurrency, cpu: { limit: kplus.Cpu.millis(millis) } });
    expect(proxyConfig({ sidecar }).concurrency).toBe(concurrency);
    expect(annotations({ sidecar })['sidecar.istio.io/proxyCPULimit']).toBe(`${millis}m`);
  });

  test.each([
    [3, 2000, 2, '2000m'],
    [2, 1000, 1, '1000m'],
    [2, 500, 1, '500m'],
  ])('%d workers under a %dm limit are refused', (concurrency, millis, cores, shown) => {
    expectRefused(() => build({ sidecar: SidecarTuning.of({ concurrency, cpu: { limit: kplus.Cpu.millis(millis) } }) }),
      `${PATH}: sidecar.concurrency exceeds the proxy CPU limit of ${shown} (${cores} core(s)): workers would be throttled against each other, got ${concurrency}: lower concurrency to ${cores} or raise cpu.limit to Cpu.units(${concurrency})`);
  });

  test('concurrency 0 is accepted with allowAllCores, and written', () => {
    expect(proxyConfig({ sidecar: SidecarTuning.of({ concurrency: 0, allowAllCores: true }) }).concurrency).toBe(0);
  });

  test.each([-1, 1.5, INT32_MAX + 1])('concurrency %d is refused even with allowAllCores', (concurrency) => {
    expectRefused(() => build({ sidecar: SidecarTuning.of({ concurrency, allowAllCores: true }) }),
      `${PATH}: sidecar.concurrency must be a whole number of Envoy workers, 1 or more, got ${concurrency}: set concurrency: 2 (the default) or the number of cores the proxy may use`);
  });
});

describe('SidecarTuning: the drain and the grace period', () => {
  test('by default the drain follows the grace period', () => {
    expect(proxyConfig({}).terminationDrainDuration).toBe('30s');
    expect(proxyConfig({ terminationGracePeriod: Duration.seconds(45) }).terminationDrainDuration).toBe('45s');
    expect(template(build({ terminationGracePeriod: Duration.seconds(45) })).spec.terminationGracePeriodSeconds).toBe(45);
  });

  test('a drain as long as the grace period is accepted; 1 ms longer is refused', () => {
    expect(proxyConfig({ sidecar: SidecarTuning.of({ terminationDrainDuration: Duration.seconds(30) }) }).terminationDrainDuration).toBe('30s');
    expect(proxyConfig({ sidecar: SidecarTuning.of({ terminationDrainDuration: Duration.millis(1) }) }).terminationDrainDuration).toBe('1ms');
    expectRefused(() => build({ sidecar: SidecarTuning.of({ terminationDrainDuration: Duration.millis(30001) }) }),
      `${PATH}: sidecar.terminationDrainDuration is longer than the pod's termination grace period (30s): the kubelet kills the proxy before the drain ends, got "30001ms": shorten it to 30s or less (or leave it unset to follow the grace period), or raise terminationGracePeriod`);
  });

  test('a drain of 0 ms is refused', () => {
    expectRefused(() => build({ sidecar: SidecarTuning.of({ terminationDrainDuration: Duration.millis(0) }) }),
      `${PATH}: sidecar.terminationDrainDuration must be at least 1 millisecond (istiod ValidateDuration refuses shorter durations), got "0ms"`);
  });

  test('without a sidecar the drain is not judged against the grace period, and no proxy annotation is written', () => {
    const objs = build({ injectSidecar: false, sidecar: SidecarTuning.of({ terminationDrainDuration: Duration.seconds(60) }) });
    expect(template(objs).metadata.labels['sidecar.istio.io/inject']).toBe('false');
    expect(template(objs).metadata.annotations).toBeUndefined();
  });

  test('exitOnZeroActiveConnections replaces the drain with proxyMetadata', () => {
    expect(proxyConfig({ sidecar: SidecarTuning.of({ exitOnZeroActiveConnections: true }) })).toEqual({
      concurrency: 2, holdApplicationUntilProxyStarts: true, proxyMetadata: { EXIT_ON_ZERO_ACTIVE_CONNECTIONS: 'true' },
    });
  });

  test('nativeSidecar is written only when set', () => {
    expect(annotations({})['sidecar.istio.io/nativeSidecar']).toBeUndefined();
    expect(annotations({ sidecar: SidecarTuning.of({ nativeSidecar: true }) })['sidecar.istio.io/nativeSidecar']).toBe('true');
    expect(annotations({ sidecar: SidecarTuning.of({ nativeSidecar: false }) })['sidecar.istio.io/nativeSidecar']).toBe('false');
    expect(proxyConfig({ sidecar: SidecarTuning.of({ holdApplicationUntilProxyStarts: false }) }).holdApplicationUntilProxyStarts).toBe(false);
  });
});

describe('SidecarTuning: resources', () => {
  test('1m and a limit equal to the request are accepted', () => {
    const a = annotations({
      sidecar: SidecarTuning.of({
        concurrency: 1,
        cpu: { request: kplus.Cpu.millis(1), limit: kplus.Cpu.millis(1) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(64) },
      }),
    });
    expect(a).toMatchObject({ 'sidecar.istio.io/proxyCPU': '1m', 'sidecar.istio.io/proxyCPULimit': '1m', 'sidecar.istio.io/proxyMemory': '64Mi', 'sidecar.istio.io/proxyMemoryLimit': '64Mi' });
  });

  test('a memory size that is not whole MiB is written in KiB', () => {
    expect(annotations({ sidecar: SidecarTuning.of({ memory: { request: Size.kibibytes(1536) } }) })['sidecar.istio.io/proxyMemory']).toBe('1536Ki');
  });

  test('a CPU limit 1m below the request is refused', () => {
    const cpu = { request: kplus.Cpu.millis(200), limit: kplus.Cpu.millis(199) };
    expectRefused(() => build({ sidecar: SidecarTuning.of({ concurrency: 1, cpu }) }),
      `${PATH}: sidecar.cpu.limit must not be below the request (200m), got "199m": raise the limit or lower the request`);
  });

  test.each([
    ['cpu.request', { cpu: { request: kplus.Cpu.millis(0) } }, '"0m"', 'must be a positive CPU quantity'],
    ['cpu.limit', { cpu: { request: kplus.Cpu.millis(1), limit: kplus.Cpu.millis(0) }, concurrency: 1 }, '"0m"', 'must be a positive CPU quantity'],
    ['memory.request', { memory: { request: Size.mebibytes(0) } }, '"0Mi"', 'must be positive'],
    ['memory.limit', { memory: { request: Size.mebibytes(1), limit: Size.mebibytes(0) } }, '"0Mi"', 'must be positive'],
  ])('%s of 0 is refused', (key, props, shown, rule) => {
    expectRefused(() => build({ sidecar: SidecarTuning.of(props as any) }), `${PATH}: sidecar.${key} ${rule}, got ${shown}`);
  });
});

describe('DisruptionBudget: 1 to replicas - 1', () => {
  const pdb = (objs: Obj[]) => all(objs, 'PodDisruptionBudget');

  test.each([
    [2, DisruptionBudget.maxUnavailable(1), { maxUnavailable: 1 }],
    [3, DisruptionBudget.maxUnavailable(2), { maxUnavailable: 2 }],
    [2, DisruptionBudget.minAvailable(1), { minAvailable: 1 }],
    [5, DisruptionBudget.minAvailable(4), { minAvailable: 4 }],
  ])('%d replicas take %o', (replicas, disruptionBudget, spec) => {
    const budgets = pdb(build({ replicas, disruptionBudget }));
    expect(budgets).toHaveLength(1);
    expect(budgets[0].spec).toEqual({ ...spec, selector: { matchLabels: { app: 'svc', version: 'v1' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test.each([
    [3, DisruptionBudget.maxUnavailable(3), 'maxUnavailable', 3, 'a drain could evict every pod at once'],
    [5, DisruptionBudget.minAvailable(5), 'minAvailable', 5, 'no pod could ever be evicted and node drains would hang'],
  ])('%d replicas refuse %o', (replicas, disruptionBudget, field, value, why) => {
    expectRefused(() => build({ replicas, disruptionBudget }),
      `${PATH}: disruptionBudget.${field} must be below the version's ${replicas} replicas: ${why}, got ${value}: set it to ${replicas - 1} or less, raise replicas, or use DisruptionBudget.none()`);
  });

  test('minAvailable 0 is refused', () => {
    expectRefused(() => build({ disruptionBudget: DisruptionBudget.minAvailable(0) }),
      `${PATH}: disruptionBudget.minAvailable must be a whole number from 1 to 2147483647, got 0: keep at least one pod up: DisruptionBudget.minAvailable(1), or DisruptionBudget.none() for no budget`);
  });

  test('a version with 0 or 1 replica gets no budget, and its budget is not judged', () => {
    expect(pdb(build({ replicas: 1, disruptionBudget: DisruptionBudget.maxUnavailable(5) }))).toEqual([]);
    expect(pdb(build({ replicas: 0, disruptionBudget: DisruptionBudget.minAvailable(0) }))).toEqual([]);
  });

  test('none() writes no budget and is not judged', () => {
    expect(pdb(build({ replicas: 3, disruptionBudget: DisruptionBudget.none() }))).toEqual([]);
  });
});

describe('TopologySpread', () => {
  const constraints = (spread: TopologySpread) => template(build({ spread })).spec.topologySpreadConstraints;

  test('maxSkew 1 and 2147483647 are accepted and written', () => {
    expect(constraints(TopologySpread.of({ maxSkew: 1 })).map((c: any) => c.maxSkew)).toEqual([1, 1]);
    expect(constraints(TopologySpread.of({ maxSkew: INT32_MAX })).map((c: any) => c.maxSkew)).toEqual([INT32_MAX, INT32_MAX]);
  });

  test('maxSkew 0 is refused', () => {
    expectRefused(() => constraints(TopologySpread.of({ maxSkew: 0 })),
      `${PATH}: spread.maxSkew must be a whole number from 1 to 2147483647, got 0: set maxSkew: 1 (the default) or more`);
  });

  test('zones and nodes each add one constraint selecting the version\'s pods', () => {
    const labelSelector = { matchLabels: { app: 'svc', version: 'v1' } };
    expect(constraints(TopologySpread.of({ nodes: false, whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE }))).toEqual([
      { labelSelector, maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
    ]);
    expect(constraints(TopologySpread.of({ zones: false }))).toEqual([
      { labelSelector, maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
    ]);
    expect(constraints(TopologySpread.none())).toBeUndefined();
  });

  test('an unknown whenUnsatisfiable is refused', () => {
    expectRefused(() => constraints(TopologySpread.of({ whenUnsatisfiable: 'Never' as any })),
      `${PATH}: spread.whenUnsatisfiable must be one of ScheduleAnyway, DoNotSchedule, got "Never": use the WhenUnsatisfiable enum`);
  });
});

describe('HeaderMatch through a CanaryRelease', () => {
  function release(headerOverride: HeaderMatch): Obj[] {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', { image: 'ghcr.io/acme/shop:1.0', port: 8080 });
    s.addVersion('v2');
    new CanaryRelease(c, 'canary', { service: s, canaryVersion: 'v2', canaryWeight: 10, headerOverride });
    return synth(c);
  }
  const match = (h: HeaderMatch) => only(release(h), 'VirtualService').spec.http[0].match[0].headers;

  test.each([
    ['a one-letter header', HeaderMatch.exact('x', 'true'), { x: { exact: 'true' } }],
    ['a 256-character header', HeaderMatch.exact('x'.repeat(256), '1'), { ['x'.repeat(256)]: { exact: '1' } }],
    ['a key like a pseudo header, but longer', HeaderMatch.exact('uris', '1'), { uris: { exact: '1' } }],
    ['a value with a space and a tab-free printable range', HeaderMatch.prefix('user-agent', 'qa bot/~'), { 'user-agent': { prefix: 'qa bot/~' } }],
    ['a value of 61440 bytes (Envoy\'s 60 KiB)', HeaderMatch.exact('x-canary', 'a'.repeat(61440)), { 'x-canary': { exact: 'a'.repeat(61440) } }],
    ['a regex', HeaderMatch.regex('x-canary', 'a|b'), { 'x-canary': { regex: 'a|b' } }],
  ])('%s is accepted and written', (_what, h, headers) => {
    expect(match(h)).toEqual(headers);
  });

  test.each([
    ['a 257-character header', HeaderMatch.exact('x'.repeat(257), '1'), 'header', JSON.stringify('x'.repeat(257)), 'must be a lowercase header name'],
    ['a header starting with a dash', HeaderMatch.exact('-x', '1'), 'header', '"-x"', 'must be a lowercase header name'],
    ['a header ending with a dash', HeaderMatch.exact('x-', '1'), 'header', '"x-"', 'must be a lowercase header name'],
    ['uri', HeaderMatch.exact('uri', '1'), 'header', '"uri"', 'is a key Istio ignores as a header match'],
    ['scheme', HeaderMatch.exact('scheme', '1'), 'header', '"scheme"', 'is a key Istio ignores as a header match'],
    ['method', HeaderMatch.exact('method', '1'), 'header', '"method"', 'is a key Istio ignores as a header match'],
    ['authority', HeaderMatch.exact('authority', '1'), 'header', '"authority"', 'is a key Istio ignores as a header match'],
    ['an empty prefix', HeaderMatch.prefix('x-canary', ''), 'value', '""', 'must be a non-empty string (an empty value matches any request that has the header)'],
    ['an empty regex', HeaderMatch.regex('x-canary', ''), 'pattern', '""', 'must be a non-empty string (an empty pattern matches any request that has the header)'],
    ['a value with a unit separator (0x1f)', HeaderMatch.exact('x-canary', 'a\u001fb'), 'value', '"a\\u001fb"', 'must not contain control characters'],
    ['a value with DEL (0x7f)', HeaderMatch.exact('x-canary', 'a\u007f'), 'value', '"a\u007f"', 'must not contain control characters'],
    ['a value with a NUL', HeaderMatch.exact('x-canary', '\u0000'), 'value', '"\\u0000"', 'must not contain control characters'],
  ])('%s is refused', (_what, h, prop, shown, rule) => {
    expectRefused(() => release(h), `test/canary: headerOverride.${prop} ${rule}`);
    expectRefused(() => release(h), `, got ${shown}: `);
  });

  test('a value of 61441 bytes is refused (Envoy max_request_headers_kb: 60 KiB)', () => {
    expectRefused(() => release(HeaderMatch.exact('x-canary', 'a'.repeat(61441))),
      `test/canary: headerOverride.value is longer than Envoy's request header limit (max_request_headers_kb, 60 KiB): no request could carry it, got "${'a'.repeat(40)}... (61441 bytes)": match a short marker value instead, e.g. "true"`);
  });

  test('a regex longer than Envoy\'s header limit is judged as a regex (istiod\'s 1024), not as a header value', () => {
    expectRefused(() => release(HeaderMatch.regex('x-canary', 'a'.repeat(61441))),
      `test/canary: headerOverride.pattern must be at most 1024 characters (istiod's limit), it has 61441, got "${'a'.repeat(40)}...": use a shorter pattern, or use HeaderMatch.exact / prefix`);
  });

  test('the suggested header name is lowercased, or x-canary when nothing is left', () => {
    expectRefused(() => release(HeaderMatch.exact('X_Canary', '1')), 'write it lowercase, e.g. "x-canary"');
    expectRefused(() => release(HeaderMatch.exact('User Agent', '1')), 'write it lowercase, e.g. "user-agent"');
    expectRefused(() => release(HeaderMatch.exact('__', '1')), 'write it lowercase, e.g. "x-canary"');
  });
});
