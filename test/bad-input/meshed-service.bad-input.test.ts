// Bad input to MeshedService, its props, addVersion and talksTo: each refused with our error
// naming the construct path, the prop, the value and a fix that is itself valid.
import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { MeshedService, MeshedServiceProps, RetryPolicy, SidecarTuning, TrafficPolicy } from '../../src';
import { badInputs, chart, quoted, synth } from '../util';

const PATH = 'test/svc';
const base: MeshedServiceProps = { image: 'ghcr.io/acme/shop:1.0', port: 8080 };
/** A MeshedService with `props` over a valid base, synthesized. */
const svc = (props: Record<string, unknown>) => () => {
  const { chart: c } = chart();
  new MeshedService(c, 'svc', { ...base, ...props } as any);
  synth(c);
};
const dnsLabel = (fix: string) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(quoted(fix) ?? '');
const dns1035 = (fix: string) => /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(quoted(fix) ?? '');

describe('MeshedService: props', () => {
  badInputs([
    { name: 'props undefined', run: () => new MeshedService(chart().chart, 'svc', undefined as any), path: PATH, prop: 'props', value: 'nothing', fix: /pass \{ image: .*port: 8080 \}/ },
    { name: 'props null', run: () => new MeshedService(chart().chart, 'svc', null as any), path: PATH, prop: 'props', value: 'null', fix: /pass \{ image/ },
    { name: 'props a string', run: () => new MeshedService(chart().chart, 'svc', 'nginx' as any), path: PATH, prop: 'props', value: '"nginx"', fix: /pass \{ image/ },
    { name: 'props a list', run: () => new MeshedService(chart().chart, 'svc', [] as any), path: PATH, prop: 'props', value: '[]', fix: /pass \{ image/ },
    { name: 'empty name suggests a valid name, not "s-"', run: svc({ name: '' }), path: PATH, prop: 'name', value: '""', fix: /rename it, for example "my-service"/, validFix: dns1035 },
    { name: 'name starting with a digit', run: svc({ name: '1shop' }), path: PATH, prop: 'name', value: '"1shop"', fix: /"s-1shop"/, validFix: dns1035 },
    { name: 'name uppercase', run: svc({ name: 'Shop' }), path: PATH, prop: 'name', value: '"Shop"', fix: /"shop"/, validFix: dns1035 },
    { name: 'name of dashes only', run: svc({ name: '---' }), path: PATH, prop: 'name', value: '"---"', fix: /"my-service"/, validFix: dns1035 },
    { name: 'name a number', run: svc({ name: 42 }), path: PATH, prop: 'name', value: '42', fix: /"my-service"/, validFix: dns1035 },
    { name: 'name too long', run: svc({ name: 'a'.repeat(64) }), path: PATH, prop: 'name', value: `"${'a'.repeat(64)}"`, fix: /for example "a{63}"/, validFix: dns1035 },
    { name: 'id unusable as a name', run: () => new MeshedService(chart().chart, 'My_Service', base), path: 'test/My_Service', prop: 'id', value: '"My_Service"', fix: /"my-service"/, validFix: dns1035 },
    { name: 'version undefined-like: a number', run: svc({ version: 2 }), path: PATH, prop: 'version', value: '2', fix: /for example "v2"/, validFix: dnsLabel },
    { name: 'version a boolean', run: svc({ version: true }), path: PATH, prop: 'version', value: 'true', fix: /for example "v2"/, validFix: dnsLabel },
    { name: 'version with a dot', run: svc({ version: 'v1.2' }), path: PATH, prop: 'version', value: '"v1.2"', fix: /"v1-2"/, validFix: dnsLabel },
    { name: 'version empty', run: svc({ version: '' }), path: PATH, prop: 'version', value: '""', fix: /"v2"/, validFix: dnsLabel },
    { name: 'namespace uppercase', run: svc({ namespace: 'Shop' }), path: PATH, prop: 'namespace', value: '"Shop"', fix: /"shop"/, validFix: dnsLabel },
    { name: 'namespace a number', run: svc({ namespace: 7 }), path: PATH, prop: 'namespace', value: '7', fix: /"shop"/, validFix: dnsLabel },
    {
      name: "the chart's namespace is checked too",
      run: () => { const app = Testing.app(); new MeshedService(new Chart(app, 'test', { namespace: 'My_Shop' }), 'svc', base); },
      path: PATH,
      prop: "namespace (the chart's)",
      value: '"My_Shop"',
      fix: /"my-shop"/,
      validFix: dnsLabel,
    },
    { name: 'port 0', run: svc({ port: 0 }), path: PATH, prop: 'port', value: '0', fix: /port the container listens on/ },
    { name: 'port 70000', run: svc({ port: 70000 }), path: PATH, prop: 'port', value: '70000', fix: /port the container listens on/ },
    { name: 'port a string', run: svc({ port: '8080' }), path: PATH, prop: 'port', value: '"8080"', fix: /port the container listens on/ },
    { name: 'port fractional', run: svc({ port: 80.5 }), path: PATH, prop: 'port', value: '80.5', fix: /port/ },
    { name: 'servicePort negative', run: svc({ servicePort: -1 }), path: PATH, prop: 'servicePort', value: '-1', fix: /port the Service exposes/ },
    { name: 'protocol unknown', run: svc({ protocol: 'HTTP3' }), path: PATH, prop: 'protocol', value: '"HTTP3"', fix: /MeshProtocol enum/ },
    { name: 'image missing', run: svc({ image: undefined }), path: PATH, prop: 'image', value: 'nothing', fix: /"ghcr\.io\/acme\/checkout:1\.4\.2"/ },
    { name: 'image empty', run: svc({ image: '' }), path: PATH, prop: 'image', value: '""', fix: /registry\/repository:tag/ },
    { name: 'image with a space', run: svc({ image: 'nginx latest' }), path: PATH, prop: 'image', value: '"nginx latest"', fix: /reference like/ },
    { name: 'image uppercase repository', run: svc({ image: 'ghcr.io/Acme/Shop:1.0' }), path: PATH, prop: 'image', value: '"ghcr.io/Acme/Shop:1.0"', fix: /write "ghcr\.io\/acme\/shop:1\.0"/ },
    { name: 'image with a URL scheme', run: svc({ image: 'https://ghcr.io/acme/shop:1.0' }), path: PATH, prop: 'image', value: '"https://ghcr.io/acme/shop:1.0"', fix: /write "ghcr\.io\/acme\/shop:1\.0"/ },
    { name: 'image with a bad tag', run: svc({ image: 'nginx:-1' }), path: PATH, prop: 'image', value: '"nginx:-1"', fix: /reference like/ },
    { name: 'image a number', run: svc({ image: 42 }), path: PATH, prop: 'image', value: '42', fix: /reference like/ },
    { name: 'image name too long', run: svc({ image: `${'a'.repeat(300)}:1` }), path: PATH, prop: 'image', value: `"${'a'.repeat(300)}:1"`, fix: /shorter registry/ },
    { name: 'replicas 1e10 (int32)', run: svc({ replicas: 1e10 }), path: PATH, prop: 'replicas', value: '10000000000', fix: /replicas: 2/ },
    { name: 'replicas negative', run: svc({ replicas: -1 }), path: PATH, prop: 'replicas', value: '-1', fix: /replicas: 2/ },
    { name: 'replicas a string', run: svc({ replicas: '3' }), path: PATH, prop: 'replicas', value: '"3"', fix: /replicas: 2/ },
    { name: 'replicas NaN', run: svc({ replicas: NaN }), path: PATH, prop: 'replicas', value: 'NaN', fix: /replicas: 2/ },
    { name: 'timeout a number', run: svc({ timeout: 5000 }), path: PATH, prop: 'timeout', value: '5000', fix: /timeout: Duration\.millis\(5000\)/ },
    { name: 'timeout a string', run: svc({ timeout: '5s' }), path: PATH, prop: 'timeout', value: '"5s"', fix: /Duration\.seconds\(5\)/ },
    { name: 'timeout sub-millisecond', run: svc({ timeout: Duration.millis(0.5) }), path: PATH, prop: 'timeout', value: '"0.5ms"', fix: /Duration\.seconds/ },
    { name: 'timeout zero', run: svc({ timeout: Duration.seconds(0) }), path: PATH, prop: 'timeout', value: '"0ms"', fix: /Duration\.seconds/ },
    { name: 'timeout fractional milliseconds', run: svc({ timeout: Duration.millis(1.5) }), path: PATH, prop: 'timeout', value: '"1.5ms"', fix: /Duration\.millis\(2\)/ },
    { name: 'timeout beyond the protobuf Duration range', run: svc({ timeout: Duration.days(4e6) }), path: PATH, prop: 'timeout', value: '"345600000000000ms"', fix: /Duration\.seconds/ },
    { name: 'timeout on a TCP service', run: svc({ protocol: 'tcp', timeout: Duration.seconds(5) }), path: PATH, prop: 'timeout', value: '"tcp"', fix: /set protocol to HTTP/ },
    { name: 'retries a plain object', run: svc({ retries: { attempts: 2 } }), path: PATH, prop: 'retries', value: '{"attempts":2}', fix: /RetryPolicy\.of\(\{ attempts: 2 \}\)/ },
    { name: 'retries a number', run: svc({ retries: 3 }), path: PATH, prop: 'retries', value: '3', fix: /RetryPolicy\.of/ },
    { name: 'sidecar a plain object', run: svc({ sidecar: { concurrency: 2 } }), path: PATH, prop: 'sidecar', value: '{"concurrency":2}', fix: /SidecarTuning\.of\(\{ concurrency: 2 \}\)/ },
    { name: 'sidecar a string', run: svc({ sidecar: 'default' }), path: PATH, prop: 'sidecar', value: '"default"', fix: /SidecarTuning\.of/ },
    { name: 'trafficPolicy a plain object', run: svc({ trafficPolicy: { maxConnections: 10 } }), path: PATH, prop: 'trafficPolicy', value: '{"maxConnections":10}', fix: /TrafficPolicy\.of\(\{ maxConnections: 100 \}\)/ },
    { name: 'disruptionBudget a number', run: svc({ disruptionBudget: 1 }), path: PATH, prop: 'disruptionBudget', value: '1', fix: /DisruptionBudget\.maxUnavailable\(1\)/ },
    { name: 'spread a boolean', run: svc({ spread: true }), path: PATH, prop: 'spread', value: 'true', fix: /TopologySpread\.of/ },
    { name: "command: 'npm start' (one string)", run: svc({ command: 'npm start' }), path: PATH, prop: 'command', value: '"npm start"', fix: /write command: \["npm","start"\]/ },
    { name: 'args: one string', run: svc({ args: '--port 8080' }), path: PATH, prop: 'args', value: '"--port 8080"', fix: /write args: \["--port","8080"\]/ },
    { name: 'command a number', run: svc({ command: 5 }), path: PATH, prop: 'command', value: '5', fix: /command: \["node", "server\.js"\]/ },
    { name: 'command with a non-string entry', run: svc({ command: ['node', 5] }), path: PATH, prop: 'command[1]', value: '5', fix: /command: \[/ },
    { name: 'env value a plain string', run: svc({ envVariables: { LOG_LEVEL: 'info' } }), path: PATH, prop: 'envVariables.LOG_LEVEL', value: '"info"', fix: /LOG_LEVEL: EnvValue\.fromValue\("info"\)/ },
    { name: 'env value a number', run: svc({ envVariables: { PORT: 8080 } }), path: PATH, prop: 'envVariables.PORT', value: '8080', fix: /PORT: EnvValue\.fromValue\("8080"\)/ },
    { name: 'env value null', run: svc({ envVariables: { A: null } }), path: PATH, prop: 'envVariables.A', value: 'null', fix: /EnvValue\.fromValue\("\.\.\."\)/ },
    { name: 'env variable name with "="', run: svc({ envVariables: { 'A=B': kplus.EnvValue.fromValue('x') } }), path: PATH, prop: 'envVariables', value: '"A=B"', fix: /rename the variable/ },
    { name: 'envVariables a list', run: svc({ envVariables: ['A=x'] }), path: PATH, prop: 'envVariables', value: '["A=x"]', fix: /EnvValue\.fromValue\("info"\)/ },
    { name: 'readiness a plain object', run: svc({ readiness: { path: '/healthz' } }), path: PATH, prop: 'readiness', value: '{"path":"/healthz"}', fix: /Probe\.fromHttpGet\("\/healthz"\)/ },
    { name: 'liveness a string', run: svc({ liveness: '/healthz' }), path: PATH, prop: 'liveness', value: '"/healthz"', fix: /Probe\.fromHttpGet/ },
    { name: 'startup a number', run: svc({ startup: 10 }), path: PATH, prop: 'startup', value: '10', fix: /Probe\.fromHttpGet/ },
    { name: 'resources null', run: svc({ resources: null }), path: PATH, prop: 'resources', value: 'null', fix: /Cpu\.millis\(250\)/ },
    { name: 'resources cpu a string', run: svc({ resources: { cpu: { request: '250m' } } }), path: PATH, prop: 'resources.cpu.request', value: '"250m"', fix: /cpu\.request: Cpu\.millis\(100\)/ },
    { name: 'resources memory a number', run: svc({ resources: { memory: { request: 256 } } }), path: PATH, prop: 'resources.memory.request', value: '256', fix: /Size\.mebibytes/ },
    { name: 'resources cpu below 1m', run: svc({ resources: { cpu: { request: kplus.Cpu.millis(0.4) } } }), path: PATH, prop: 'resources.cpu.request', value: '"0.4m"', fix: /Cpu\.millis\(1\)/ },
    { name: 'resources memory limit below request', run: svc({ resources: { memory: { request: Size.mebibytes(512), limit: Size.mebibytes(256) } } }), path: PATH, prop: 'resources.memory.limit', value: '"256Mi"', fix: /raise the limit/ },
    { name: 'securityContext null', run: svc({ securityContext: null }), path: PATH, prop: 'securityContext', value: 'null', fix: /user: 1000/ },
    { name: 'securityContext user a string', run: svc({ securityContext: { user: 'app' } }), path: PATH, prop: 'securityContext.user', value: '"app"', fix: /e\.g\. 1000/ },
    { name: 'securityContext user the proxy UID', run: svc({ securityContext: { user: 1337 } }), path: PATH, prop: 'securityContext.user', value: '1337', fix: /another UID, e\.g\. 1000/ },
    { name: 'securityContext ensureNonRoot a string', run: svc({ securityContext: { ensureNonRoot: 'yes' } }), path: PATH, prop: 'securityContext.ensureNonRoot', value: '"yes"', fix: /true or false/ },
    { name: 'injectSidecar a string', run: svc({ injectSidecar: 'false' }), path: PATH, prop: 'injectSidecar', value: '"false"', fix: /injectSidecar: true .* or false/ },
    { name: 'allowUndeclaredEgress a number', run: svc({ allowUndeclaredEgress: 1 }), path: PATH, prop: 'allowUndeclaredEgress', value: '1', fix: /true or false/ },
    { name: 'istioApiVersion unknown', run: svc({ istioApiVersion: 'v2' }), path: PATH, prop: 'istioApiVersion', value: '"v2"', fix: /IstioApiVersion enum/ },
    { name: 'maxInboundConnections 0', run: svc({ maxInboundConnections: 0 }), path: PATH, prop: 'maxInboundConnections', value: '0', fix: /connections the service accepts/ },
    { name: 'maxInboundConnections beyond int32', run: svc({ maxInboundConnections: 2 ** 31 }), path: PATH, prop: 'maxInboundConnections', value: '2147483648', fix: /connections/ },
    { name: 'terminationGracePeriod a number', run: svc({ terminationGracePeriod: 30 }), path: PATH, prop: 'terminationGracePeriod', value: '30', fix: /Duration\.seconds\(30\)/ },
    { name: 'terminationGracePeriod sub-second', run: svc({ terminationGracePeriod: Duration.millis(1500) }), path: PATH, prop: 'terminationGracePeriod', value: '"1500ms"', fix: /Duration\.seconds\(30\)/ },
    { name: 'serviceAccountName uppercase', run: svc({ serviceAccountName: 'Shop' }), path: PATH, prop: 'serviceAccountName', value: '"Shop"', fix: /lowercase/ },
  ]);
});

describe('MeshedService: addVersion and talksTo', () => {
  const withService = (fn: (s: MeshedService) => void) => () => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'svc', base);
    fn(s);
    synth(c);
  };
  badInputs([
    { name: 'addVersion options null', run: withService((s) => s.addVersion('v2', null as any)), path: PATH, prop: 'addVersion options', value: 'null', fix: /pass \{ image: .* \}, or leave it out/ },
    { name: 'addVersion options a string', run: withService((s) => s.addVersion('v2', 'nginx:2' as any)), path: PATH, prop: 'addVersion options', value: '"nginx:2"', fix: /pass \{ image/ },
    { name: 'addVersion version undefined suggests a valid label, not "undefined"', run: withService((s) => s.addVersion(undefined as any)), path: PATH, prop: 'version', value: 'nothing', fix: /for example "v2"/, validFix: dnsLabel },
    { name: 'addVersion version uppercase', run: withService((s) => s.addVersion('V2')), path: PATH, prop: 'version', value: '"V2"', fix: /"v2"/, validFix: dnsLabel },
    { name: 'addVersion the stable version again', run: withService((s) => s.addVersion('v1')), path: PATH, prop: 'version', value: '"v1"', fix: /label of its own, e\.g\. "v2"/ },
    { name: 'addVersion image uppercase', run: withService((s) => s.addVersion('v2', { image: 'Nginx:2' })), path: PATH, prop: 'image', value: '"Nginx:2"', fix: /write "nginx:2"/ },
    { name: 'addVersion command a string', run: withService((s) => s.addVersion('v2', { command: 'npm run start:v2' } as any)), path: PATH, prop: 'command', value: '"npm run start:v2"', fix: /\["npm","run","start:v2"\]/ },
    { name: 'addVersion env value a string', run: withService((s) => s.addVersion('v2', { envVariables: { A: 'x' } } as any)), path: PATH, prop: 'envVariables.A', value: '"x"', fix: /A: EnvValue\.fromValue\("x"\)/ },
    { name: 'addVersion replicas 1e10', run: withService((s) => s.addVersion('v2', { replicas: 1e10 })), path: PATH, prop: 'replicas', value: '10000000000', fix: /replicas: 2/ },
    { name: 'talksTo options null', run: withService((s) => s.talksTo(new MeshedService(s.node.scope as any, 'b', base), null as any)), path: PATH, prop: 'talksTo options', value: 'null', fix: /\{ port: 8080 \}, or leave it out/ },
    { name: 'talksTo options a number', run: withService((s) => s.talksTo(new MeshedService(s.node.scope as any, 'b', base), 8080 as any)), path: PATH, prop: 'talksTo options', value: '8080', fix: /\{ port: 8080 \}/ },
    { name: 'talksTo connections 0', run: withService((s) => s.talksTo(new MeshedService(s.node.scope as any, 'b', { ...base, protocol: 'tcp' as any }), { connections: 0 })), path: PATH, prop: 'talksTo connections', value: '0', fix: /pool size/ },
    { name: 'allowCallsFrom nobody', run: withService((s) => s.allowCallsFrom()), path: PATH, prop: 'allowCallsFrom', value: '[]', fix: /CallerIdentity\.of\(otherService\).*DefaultDeny/ },
  ]);
});

// keep imports used
void SidecarTuning; void TrafficPolicy; void RetryPolicy;
