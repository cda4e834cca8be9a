// Bad input to MtlsMigration, its policies and outside clients: our error naming the path, the
// prop, the value and a fix.
import { MtlsMigration, MtlsMode, MtlsScope, OutsideClient } from '../../src';
import { badInputs, chart, synth } from '../util';
import { inShop } from './constructs.shared';

const PATH = 'test/mtls';
const mig = (props: unknown) => () => {
  const { chart: c } = chart();
  new MtlsMigration(c, 'mtls', props as any);
  synth(c);
};
const policy = (p: Record<string, unknown>) => mig({ policies: [{ scope: MtlsScope.namespace('shop'), mode: MtlsMode.STRICT, ...p }] });

describe('MtlsMigration', () => {
  badInputs([
    { name: 'props null', run: mig(null), path: PATH, prop: 'props', value: 'null', fix: /MtlsScope\.namespace\("shop"\).*or leave it out/ },
    { name: 'props a string', run: mig('strict'), path: PATH, prop: 'props', value: '"strict"', fix: /pass \{ policies/ },
    { name: "policies: 'shop' (a string)", run: mig({ policies: 'shop' }), path: PATH, prop: 'policies', value: '"shop"', fix: /write policies: \[\{ scope: MtlsScope\.namespace\("shop"\)/ },
    { name: 'policies one policy, not a list', run: mig({ policies: { scope: MtlsScope.namespace('shop') } }), path: PATH, prop: 'policies', value: '{"scope":{"kind":"namespace","namespaceName":"shop"}}', fix: /write policies: \[/ },
    { name: 'outsideClients a string', run: mig({ outsideClients: 'prometheus' }), path: PATH, prop: 'outsideClients', value: '"prometheus"', fix: /OutsideClient\.named\("monitoring", "prometheus"\)/ },
    { name: 'policy null', run: mig({ policies: [null] }), path: PATH, prop: 'policies[0]', value: 'null', fix: /MtlsScope\.namespace\("shop"\)/ },
    { name: 'policy scope a string', run: policy({ scope: 'shop' }), path: PATH, prop: 'policies[0].scope', value: '"shop"', fix: /MtlsScope\.namespace\(\.\.\.\)/ },
    { name: 'policy scope the mesh', run: policy({ scope: MtlsScope.mesh() }), path: PATH, prop: 'policies[0].scope', value: '"MtlsScope.mesh()"', fix: /set meshMode/ },
    { name: 'policy scope namespace uppercase', run: policy({ scope: MtlsScope.namespace('Shop') }), path: PATH, prop: 'policies[0].scope', value: '"Shop"', fix: /"shop"/ },
    { name: 'policy mode unknown', run: policy({ mode: 'ON' }), path: PATH, prop: 'policies[0].mode', value: '"ON"', fix: /MtlsMode/ },
    { name: 'policy DISABLE without a reason', run: policy({ mode: MtlsMode.DISABLE }), path: PATH, prop: 'policies[0].reason', value: 'nothing', fix: /say why .*or use PERMISSIVE/ },
    { name: 'policy reason a number', run: policy({ mode: MtlsMode.DISABLE, reason: 42 }), path: PATH, prop: 'policies[0].reason', value: '42', fix: /say why in a sentence/ },
    { name: 'policy reason over the annotation limit', run: policy({ reason: 'r'.repeat(300 * 1024) }), path: PATH, prop: 'policies[0].reason', value: '"307221 bytes of annotations"', fix: /shorten it/ },
    { name: 'policy portExceptions one object, not a list', run: inShop((c, s) => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(s), portExceptions: { port: 9090 } as any }] })), path: PATH, prop: 'policies[0].portExceptions', value: '{"port":9090}', fix: /write portExceptions: \[\{ port: 9090/ },
    { name: 'policy portExceptions entry null', run: inShop((c, s) => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(s), portExceptions: [null as any] }] })), path: PATH, prop: 'policies[0].portExceptions[0]', value: 'null', fix: /port: 9090/ },
    { name: 'port exception on a namespace policy', run: policy({ portExceptions: [{ port: 9090, mode: MtlsMode.PERMISSIVE }] }), path: PATH, prop: 'policies[0].portExceptions', value: '[9090]', fix: /MtlsScope\.workload\(service\)/ },
    { name: 'port exception port 0', run: inShop((c, s) => new MtlsMigration(c, 'mtls', { policies: [{ scope: MtlsScope.workload(s), portExceptions: [{ port: 0 }] }] })), path: PATH, prop: 'policies[0].portExceptions[0].port', value: '0', fix: /a port the container of svc listens on/ },
    { name: 'meshMode unknown', run: mig({ meshMode: 'strict-ish' }), path: PATH, prop: 'meshMode', value: '"strict-ish"', fix: /MtlsMode/ },
    { name: 'meshMode DISABLE without a reason', run: mig({ meshMode: MtlsMode.DISABLE }), path: PATH, prop: 'meshModeReason', value: 'nothing', fix: /say why .*or use PERMISSIVE/ },
    { name: 'rootNamespace uppercase', run: mig({ rootNamespace: 'Istio-System' }), path: PATH, prop: 'rootNamespace', value: '"Istio-System"', fix: /"istio-system"/ },
    { name: 'istioApiVersion unknown', run: mig({ istioApiVersion: 'v3' }), path: PATH, prop: 'istioApiVersion', value: '"v3"', fix: /IstioApiVersion enum/ },
    { name: 'outside client not an OutsideClient', run: mig({ outsideClients: [{ namespace: 'monitoring', name: 'prometheus' }] }), path: PATH, prop: 'outsideClients[0]', value: '{"namespace":"monitoring","name":"prometheus"}', fix: /OutsideClient\.named/ },
    { name: 'outside client name uppercase', run: mig({ outsideClients: [OutsideClient.named('monitoring', 'Prometheus')] }), path: PATH, prop: 'outsideClients[0] name', value: '"Prometheus"', fix: /name of the client's Deployment/ },
  ]);
});
