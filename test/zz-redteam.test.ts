import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as M from '../src/index';
import { chart, isLibraryError, synth } from './util';

const BAD: Array<[string, unknown]> = [
  ['undefined', undefined], ['null', null], ['0', 0], ['-1', -1], ['1e10', 1e10], ['NaN', NaN], ['1.5', 1.5],
  ['empty', ''], ['str', 'x'], ['UPPER', 'UPPER'], ['list0', []], ['list1', ['a']], ['obj', {}], ['objx', { attempts: 2 }],
  ['true', true], ['fn', () => 1], ['num5000', 5000], ['liststr', 'npm start'],
];
type B = (o: any) => void;
const cases: Record<string, [B, string[]]> = {
  MeshedService: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, ...o }); synth(c); },
    ['image', 'port', 'name', 'servicePort', 'protocol', 'version', 'namespace', 'serviceAccountName', 'injectSidecar', 'allowUndeclaredEgress', 'sidecar', 'trafficPolicy', 'timeout', 'retries', 'istioApiVersion', 'resources', 'readiness', 'liveness', 'startup', 'securityContext', 'maxInboundConnections', 'replicas', 'disruptionBudget', 'spread', 'terminationGracePeriod', 'envVariables', 'command', 'args']],
  MeshedServiceProps: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', o.image as any); synth(c); }, ['image']],
  addVersion: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); s.addVersion('v2', o.x); synth(c); }, ['x']],
  addVersionOpts: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); s.addVersion('v2', { image: 'x:2', ...o }); synth(c); }, ['image', 'replicas', 'disruptionBudget', 'spread', 'terminationGracePeriod', 'envVariables', 'command', 'args']],
  addVersionName: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); s.addVersion(o.x, { image: 'x:2' }); synth(c); }, ['x']],
  talksTo: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); const t = new M.MeshedService(c, 't', { image: 'x:1', port: 80 }); s.talksTo(t, o.x); synth(c); }, ['x']],
  talksToTarget: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); s.talksTo(o.x); synth(c); }, ['x']],
  talksToOpts: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); const t = new M.MeshedService(c, 't', { image: 'x:1', port: 80 }); s.talksTo(t, o); synth(c); }, ['port', 'connections', 'concurrentRequests', 'streamsPerConnection']],
  allowCallsFrom: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); s.allowCallsFrom(o.x); synth(c); }, ['x']],
  Canary: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); s.addVersion('v2', { image: 'x:2' }); new M.CanaryRelease(c, 'cr', { service: s, canaryVersion: 'v2', ...o }); synth(c); }, ['service', 'stableVersion', 'canaryVersion', 'canaryWeight', 'headerOverride', 'mirrorPercent', 'steps', 'currentStep']],
  CanaryProps: [(o) => { const { chart: c } = chart(); new M.CanaryRelease(c, 'cr', o.x); synth(c); }, ['x']],
  TrafficPolicy: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, trafficPolicy: M.TrafficPolicy.of(o) }); synth(c); }, ['maxConnections', 'maxPendingRequests', 'maxRequests', 'maxRequestsPerConnection', 'idleTimeout', 'tcpKeepaliveTime', 'tcpKeepaliveInterval', 'maxConnectionDuration', 'outlierDetection', 'interval', 'baseEjectionTime', 'maxEjectionPercent']],
  TrafficPolicyProps: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, trafficPolicy: M.TrafficPolicy.of(o.x) }); synth(c); }, ['x']],
  RetryPolicy: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, retries: M.RetryPolicy.of({ attempts: 2, ...o }) }); synth(c); }, ['attempts', 'perTryTimeout', 'retryOn']],
  RetryPolicyProps: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, retries: M.RetryPolicy.of(o.x) }); synth(c); }, ['x']],
  SidecarTuning: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, sidecar: M.SidecarTuning.of(o) }); synth(c); }, ['concurrency', 'allowAllCores', 'cpu', 'memory', 'holdApplicationUntilProxyStarts', 'terminationDrainDuration', 'exitOnZeroActiveConnections', 'nativeSidecar']],
  SidecarTuningProps: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, sidecar: M.SidecarTuning.of(o.x) }); synth(c); }, ['x']],
  TopologySpread: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, spread: M.TopologySpread.of(o) }); synth(c); }, ['zones', 'nodes', 'maxSkew', 'whenUnsatisfiable']],
  TopologySpreadProps: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, spread: M.TopologySpread.of(o.x) }); synth(c); }, ['x']],
  DisruptionBudget: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, disruptionBudget: M.DisruptionBudget.maxUnavailable(o.x) }); synth(c); }, ['x']],
  DisruptionBudgetMin: [(o) => { const { chart: c } = chart(); new M.MeshedService(c, 'svc', { image: 'x:1', port: 80, disruptionBudget: M.DisruptionBudget.minAvailable(o.x) }); synth(c); }, ['x']],
  HeaderExact: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); s.addVersion('v2', { image: 'x:2' }); new M.CanaryRelease(c, 'cr', { service: s, canaryVersion: 'v2', headerOverride: M.HeaderMatch.exact(o.h ?? 'x-canary', o.v ?? 'true') }); synth(c); }, ['h', 'v']],
  HeaderRegex: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); s.addVersion('v2', { image: 'x:2' }); new M.CanaryRelease(c, 'cr', { service: s, canaryVersion: 'v2', headerOverride: M.HeaderMatch.regex(o.h ?? 'x-canary', o.v ?? 'a.*') }); synth(c); }, ['h', 'v']],
  CallerNs: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); s.allowCallsFrom(M.CallerIdentity.namespace(o.x)); synth(c); }, ['x']],
  CallerOf: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); s.allowCallsFrom(M.CallerIdentity.of(o.x)); synth(c); }, ['x']],
  DefaultDeny: [(o) => { const { chart: c } = chart(); new M.DefaultDeny(c, 'dd', o); synth(c); }, ['namespace', 'istioApiVersion']],
  DefaultDenyProps: [(o) => { const { chart: c } = chart(); new M.DefaultDeny(c, 'dd', o.x); synth(c); }, ['x']],
  External: [(o) => { const { chart: c } = chart(); new M.ExternalService(c, 'ext', { host: 'api.example.com', ports: [{ number: 443, protocol: M.ExternalProtocol.TLS }], ...o }); synth(c); }, ['host', 'ports', 'serviceEntry', 'namespace', 'endpoints', 'maxInboundConnections', 'trafficPolicy', 'istioApiVersion']],
  ExternalPort: [(o) => { const { chart: c } = chart(); new M.ExternalService(c, 'ext', { host: 'api.example.com', ports: [{ number: 443, protocol: M.ExternalProtocol.TLS, ...o }] }); synth(c); }, ['number', 'protocol', 'name']],
  ExternalProps: [(o) => { const { chart: c } = chart(); new M.ExternalService(c, 'ext', o.x); synth(c); }, ['x']],
  Ingress: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); new M.ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'], ...o }); synth(c); }, ['service', 'hosts', 'pathPrefixes', 'tls', 'api', 'gatewayNamespace', 'gatewayName', 'gatewaySelector', 'istioApiVersion']],
  IngressProps: [(o) => { const { chart: c } = chart(); new M.ServiceIngress(c, 'in', o.x); synth(c); }, ['x']],
  IngressTls: [(o) => { const { chart: c } = chart(); const s = new M.MeshedService(c, 'svc', { image: 'x:1', port: 80 }); new M.ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'], tls: M.IngressTls.fromSecret(o.x) }); synth(c); }, ['x']],
  CP: [(o) => { const { chart: c } = chart('istio-system'); new M.TunedControlPlane(c, 'cp', o); synth(c); }, ['name', 'profile', 'revision', 'hub', 'tag', 'namespace', 'istiod', 'concurrency', 'allowAllCores', 'holdApplicationUntilProxyStarts', 'statsInclusion', 'tracing', 'ingressGateway', 'istioApiVersion', 'telemetryChart']],
  CPProps: [(o) => { const { chart: c } = chart('istio-system'); new M.TunedControlPlane(c, 'cp', o.x); synth(c); }, ['x']],
  CPIstiod: [(o) => { const { chart: c } = chart('istio-system'); new M.TunedControlPlane(c, 'cp', { istiod: o }); synth(c); }, ['minReplicas', 'maxReplicas', 'antiAffinity', 'pdbMaxUnavailable', 'cpu', 'memory']],
  CPGw: [(o) => { const { chart: c } = chart('istio-system'); new M.TunedControlPlane(c, 'cp', { ingressGateway: o }); synth(c); }, ['enabled', 'minReplicas', 'maxReplicas', 'cpu', 'memory']],
  Tracing: [(o) => { const { chart: c } = chart('istio-system'); new M.TunedControlPlane(c, 'cp', { tracing: M.TracingSampling.telemetry(o.p ?? 1, M.TracingProvider.zipkin(o.n ?? 'zipkin', o.s ?? 'zipkin.istio-system.svc.cluster.local', o.port)) }); synth(c); }, ['p', 'n', 's', 'port']],
  Mtls: [(o) => { const { chart: c } = chart(); new M.MtlsMigration(c, 'm', o); synth(c); }, ['rootNamespace', 'meshMode', 'meshModeReason', 'policies', 'outsideClients', 'istioApiVersion']],
  MtlsProps: [(o) => { const { chart: c } = chart(); new M.MtlsMigration(c, 'm', o.x); synth(c); }, ['x']],
  MtlsPolicy: [(o) => { const { chart: c } = chart(); new M.MtlsMigration(c, 'm', { policies: [{ scope: M.MtlsScope.namespace('shop'), mode: M.MtlsMode.STRICT, ...o }] }); synth(c); }, ['scope', 'mode', 'reason', 'portExceptions']],
  MtlsScopeNs: [(o) => { const { chart: c } = chart(); new M.MtlsMigration(c, 'm', { policies: [{ scope: M.MtlsScope.namespace(o.x) }] }); synth(c); }, ['x']],
  Stats: [(o) => { const { chart: c } = chart('istio-system'); new M.TunedControlPlane(c, 'cp', { statsInclusion: M.StatsInclusion.of(o) }); synth(c); }, ['prefixes', 'suffixes', 'regexps']],
};
void Duration; void kplus;
test('redteam', () => {
  const out: string[] = [];
  let n = 0; let crash = 0; let lib = 0; let ok = 0;
  for (const [name, [build, keys]] of Object.entries(cases)) {
    for (const k of keys) {
      for (const [vn, v] of BAD) {
        n++;
        try { build({ [k]: v }); ok++; out.push(`OK ${name}.${k}=${vn}`); } catch (e) {
          if (isLibraryError(e)) lib++; else { crash++; out.push(`${name}.${k}=${vn}: ${String((e as Error).message ?? e).split('\n').slice(0, 2).join(' | ').slice(0, 200)}`); }
        }
      }
    }
  }
  require('fs').writeFileSync('/tmp/rt/out.txt', `n=${n} ok=${ok} lib=${lib} crash=${crash}\n` + out.join('\n'));
});
