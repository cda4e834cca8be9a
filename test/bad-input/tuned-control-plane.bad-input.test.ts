// Bad input to TunedControlPlane: our error naming the path, the prop, the value and a fix.
import { StatsInclusion, TunedControlPlane } from '../../src';
import { badInputs, chart, quoted, synth } from '../util';

const PATH = 'test/cp';
const cp = (props: unknown) => () => {
  const { chart: c } = chart('istio-system');
  new TunedControlPlane(c, 'cp', props as any);
  synth(c);
};
const dnsLabel = (fix: string) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(quoted(fix) ?? '');

describe('TunedControlPlane', () => {
  badInputs([
    { name: 'props null', run: cp(null), path: PATH, prop: 'props', value: 'null', fix: /\{ revision: "1-30-3" \}, or leave it out/ },
    { name: 'props a string', run: cp('default'), path: PATH, prop: 'props', value: '"default"', fix: /revision/ },
    { name: 'name uppercase', run: cp({ name: 'Istio' }), path: PATH, prop: 'name', value: '"Istio"', fix: /"istio"/, validFix: dnsLabel },
    { name: 'namespace empty suggests a valid name', run: cp({ namespace: '' }), path: PATH, prop: 'namespace', value: '""', fix: /"shop"/, validFix: dnsLabel },
    { name: 'revision "default"', run: cp({ revision: 'default' }), path: PATH, prop: 'revision', value: '"default"', fix: /"1-30-3"/ },
    { name: 'revision with dots', run: cp({ revision: '1.30.3' }), path: PATH, prop: 'revision', value: '"1.30.3"', fix: /"1-30-3"/, validFix: dnsLabel },
    { name: 'profile unknown', run: cp({ profile: 'huge' }), path: PATH, prop: 'profile', value: '"huge"', fix: /ControlPlaneProfile enum/ },
    { name: 'hub with a scheme', run: cp({ hub: 'https://docker.io/istio' }), path: PATH, prop: 'hub', value: '"https://docker.io/istio"', fix: /"docker\.io\/istio"/ },
    { name: 'hub with an uppercase repository', run: cp({ hub: 'docker.io/Istio' }), path: PATH, prop: 'hub', value: '"docker.io/Istio"', fix: /lowercase/ },
    { name: 'tag with a space', run: cp({ tag: '1.30 3' }), path: PATH, prop: 'tag', value: '"1.30 3"', fix: /"1\.30\.3"/ },
    { name: 'concurrency 0', run: cp({ concurrency: 0 }), path: PATH, prop: 'concurrency', value: '0', fix: /concurrency to 2/ },
    { name: 'concurrency beyond int32', run: cp({ concurrency: 1e10 }), path: PATH, prop: 'concurrency', value: '10000000000', fix: /concurrency: 2 \(the default\)/ },
    { name: 'allowAllCores a string', run: cp({ allowAllCores: 'yes' }), path: PATH, prop: 'allowAllCores', value: '"yes"', fix: /true or false/ },
    { name: 'holdApplicationUntilProxyStarts a number', run: cp({ holdApplicationUntilProxyStarts: 0 }), path: PATH, prop: 'holdApplicationUntilProxyStarts', value: '0', fix: /true .* or false/ },
    { name: 'istioApiVersion unknown', run: cp({ istioApiVersion: 'v9' }), path: PATH, prop: 'istioApiVersion', value: '"v9"', fix: /IstioApiVersion enum/ },
    { name: 'telemetryChart a string', run: cp({ telemetryChart: 'telemetry' }), path: PATH, prop: 'telemetryChart', value: '"telemetry"', fix: /new Chart/ },
    { name: 'istiod a number', run: cp({ istiod: 3 }), path: PATH, prop: 'istiod', value: '3', fix: /minReplicas: 2/ },
    { name: 'istiod.minReplicas 1e10', run: cp({ istiod: { minReplicas: 1e10 } }), path: PATH, prop: 'istiod.minReplicas', value: '10000000000', fix: /2 or more/ },
    { name: 'istiod.maxReplicas below min', run: cp({ istiod: { minReplicas: 3, maxReplicas: 2 } }), path: PATH, prop: 'istiod.maxReplicas', value: '2', fix: /raise maxReplicas to 3/ },
    { name: 'istiod.pdbMaxUnavailable 0', run: cp({ istiod: { pdbMaxUnavailable: 0 } }), path: PATH, prop: 'istiod.pdbMaxUnavailable', value: '0', fix: /pdbMaxUnavailable: 1/ },
    { name: 'istiod.antiAffinity unknown', run: cp({ istiod: { antiAffinity: 'always' } }), path: PATH, prop: 'istiod.antiAffinity', value: '"always"', fix: /IstiodAntiAffinity enum/ },
    { name: 'istiod.cpu a string', run: cp({ istiod: { cpu: '500m' } }), path: PATH, prop: 'istiod.cpu', value: '"500m"', fix: /Cpu\.millis\(500\)/ },
    { name: 'istiod.memory.request a number', run: cp({ istiod: { memory: { request: 2048 } } }), path: PATH, prop: 'istiod.memory.request', value: '2048', fix: /Size\.mebibytes/ },
    { name: 'ingressGateway a boolean', run: cp({ ingressGateway: true }), path: PATH, prop: 'ingressGateway', value: 'true', fix: /enabled: true/ },
    { name: 'ingressGateway.enabled a string', run: cp({ ingressGateway: { enabled: 'yes' } }), path: PATH, prop: 'ingressGateway.enabled', value: '"yes"', fix: /true or false/ },
    { name: 'ingressGateway.minReplicas without a gateway', run: cp({ profile: 'minimal', ingressGateway: { minReplicas: 2 } }), path: PATH, prop: 'ingressGateway.minReplicas', value: '2', fix: /enabled: true/ },
    { name: 'statsInclusion a list', run: cp({ statsInclusion: ['cluster.outbound'] }), path: PATH, prop: 'statsInclusion', value: '["cluster.outbound"]', fix: /StatsInclusion\.prefixes\("cluster\.outbound"\)/ },
    { name: 'statsInclusion prefixes one string', run: cp({ statsInclusion: StatsInclusion.of({ prefixes: 'cluster.outbound' as any }) }), path: PATH, prop: 'statsInclusion.prefixes', value: '"cluster.outbound"', fix: /write prefixes: \["cluster\.outbound"\]/ },
    { name: 'statsInclusion props null', run: cp({ statsInclusion: StatsInclusion.of(null as any) }), path: PATH, prop: 'statsInclusion', value: 'null', fix: /StatsInclusion\.prefixes/ },
    { name: 'statsInclusion regex RE2 refuses', run: cp({ statsInclusion: StatsInclusion.regexps('a{1001}') }), path: PATH, prop: 'statsInclusion.regexps[0]', value: '"a{1001}"', fix: /1000 or less/ },
    { name: 'statsInclusion prefix that is a regex', run: cp({ statsInclusion: StatsInclusion.prefixes('cluster\\..*') }), path: PATH, prop: 'statsInclusion.prefixes[0]', value: '"cluster\\\\..*"', fix: /StatsInclusion\.prefixes\("cluster\."\)/ },
  ]);
});
