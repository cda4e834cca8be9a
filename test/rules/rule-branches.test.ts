// Report and skip branches of the rules that no other test reached (coverage over src/rules and
// src/plugin, issue 18). Each test fails when the branch it names is dropped or flipped.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { check, deployment, destinationRule, goodOperator, istioOperator, lines, namespaceObject, peerAuthentication, service, telemetry, virtualService } from './objects';
import { MeshRules } from '../../src';
import { MeshRulesValidation } from '../../src/plugin/validation';
import { annInvalid } from '../../src/rules/ann-002-invalid-annotation';
import { ANNOTATION_VALIDATION } from '../../src/rules/ann-validate';
import { cpIstiodHa } from '../../src/rules/cp-001-istiod-ha';
import { cpHaOnlyThroughPatches } from '../../src/rules/cp-003-ha-only-through-patches';
import { drSubsetNoPods } from '../../src/rules/dr-001-subset-no-pods';
import { drTlsWithoutCa } from '../../src/rules/dr-003-tls-without-ca';
import { formatFinding, reportMarkdown, runRules } from '../../src/rules/engine';
import { hostMergedDestinationRules } from '../../src/rules/host-002-merged-destination-rules';
import { MeshObjects, proxyConfigOf, refOf } from '../../src/rules/mesh-objects';
import { mtlsStrictWithoutSidecar } from '../../src/rules/mtls-001-strict-without-sidecar';
import { podInitNetwork } from '../../src/rules/pod-002-init-network';
import { proxyResources } from '../../src/rules/proxy-001-resources';
import { proxyNoEffectKeys } from '../../src/rules/proxy-002-no-effect-keys';
import { MeshRule } from '../../src/rules/rule';
import { servicePortProtocol } from '../../src/rules/svc-001-port-protocol';
import { externalNamePortName } from '../../src/rules/svc-002-external-name-port';
import { svcPortProtocolConflict } from '../../src/rules/svc-003-port-protocol-conflict';
import { svcTargetPortConflict } from '../../src/rules/svc-004-target-port-conflict';
import { telemetryConflicts } from '../../src/rules/tel-003-telemetry-conflicts';
import { telemetryAccessLogNoProvider } from '../../src/rules/tel-004-access-log-no-provider';
import { vsUndefinedSubset } from '../../src/rules/vs-003-undefined-subset';
import { vsInvalidRegex } from '../../src/rules/vs-005-invalid-regex';
import { vsDestinationNotFound } from '../../src/rules/vs-006-destination-not-found';
import { vsMirrorNotFound } from '../../src/rules/vs-007-mirror-not-found';
import { vsDestinationPortRequired } from '../../src/rules/vs-008-destination-port-required';

/** YAML whose aliases expand past the parser's limit: it parses, and reading it throws. */
const ALIAS_BOMB = ['a0: &a0 [x,x,x,x,x,x,x,x,x,x]', ...[1, 2, 3, 4, 5].map((i) => `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]`)].join('\n');

describe('MESH-PROXY-001 mesh-wide resources (values.global.proxy.resources)', () => {
  const io = (resources: any, defaultConfig: any = { concurrency: 2 }) =>
    goodOperator({ meshConfig: { defaultConfig }, values: { global: { proxy: { resources } } } });

  test('a mesh-wide memory limit below the request is an error; equal is fine', () => {
    expect(lines(check(proxyResources, io({ requests: { memory: '1Gi' }, limits: { memory: '512Mi' } })))).toEqual([
      'IstioOperator/istio-system/control-plane /spec/values/global/proxy/resources/limits/memory: mesh-wide proxy memory limit 512Mi is below the request 1Gi',
    ]);
    expect(check(proxyResources, io({ requests: { memory: '1Gi' }, limits: { memory: '1024Mi' } }))).toEqual([]);
  });

  test('mesh-wide concurrency above the mesh-wide CPU limit\'s cores is an error; at the cores (rounded up) it is not', () => {
    expect(lines(check(proxyResources, io({ limits: { cpu: '1500m' } }, { concurrency: 3 })))).toEqual([
      'IstioOperator/istio-system/control-plane /spec/meshConfig/defaultConfig/concurrency: mesh-wide proxy concurrency 3 is above the mesh-wide proxy CPU limit 1500m',
    ]);
    expect(check(proxyResources, io({ limits: { cpu: '1500m' } }, { concurrency: 2 }))).toEqual([]);
    // no CPU limit, or no concurrency: nothing to compare
    expect(check(proxyResources, io({ limits: { memory: '1Gi' } }, { concurrency: 64 }))).toEqual([]);
    expect(check(proxyResources, io({ limits: { cpu: '1' } }, {}))).toEqual([]);
  });

  test('a pod\'s concurrency at its CPU limit\'s cores is fine, one above is not', () => {
    const pod = (conc: number) => deployment('c', { annotations: { 'proxy.istio.io/config': `concurrency: ${conc}`, 'sidecar.istio.io/proxyCPULimit': '2' } });
    expect(check(proxyResources, pod(2))).toEqual([]);
    expect(check(proxyResources, pod(3))[0].fix).toBe('lower concurrency to 2, or raise sidecar.istio.io/proxyCPULimit to 3');
  });
});

describe('MESH-PROXY-002 istiod env as a components.pilot.k8s.env entry', () => {
  test('PILOT_ENABLE_XDS_CACHE=true in k8s.env has no effect; "false" or another name is not reported', () => {
    const io = (env: any[]) =>
      goodOperator({ components: { pilot: { k8s: { hpaSpec: { minReplicas: 2 }, affinity: { podAntiAffinity: {} }, env } } } });
    expect(lines(check(proxyNoEffectKeys, io([{ name: 'OTHER', value: 'true' }, { name: 'PILOT_ENABLE_XDS_CACHE', value: 'true' }])))).toEqual([
      'IstioOperator/istio-system/control-plane /spec/components/pilot/k8s/env/1: istiod env PILOT_ENABLE_XDS_CACHE=true has no effect',
    ]);
    expect(check(proxyNoEffectKeys, io([{ name: 'PILOT_ENABLE_XDS_CACHE', value: 'false' }]))).toEqual([]);
  });
});

describe('MESH-HOST-002 when the first DestinationRule has no trafficPolicy', () => {
  test('the second policy applies and the third is the one dropped', () => {
    const pool = { connectionPool: { tcp: { maxConnections: 10 } } };
    expect(lines(check(hostMergedDestinationRules,
      destinationRule('a', { host: 'checkout', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }),
      destinationRule('b', { host: 'checkout', trafficPolicy: pool }),
      destinationRule('c', { host: 'checkout', trafficPolicy: pool })))).toEqual([
      'DestinationRule/shop/c /spec/trafficPolicy: trafficPolicy for checkout.shop.svc.cluster.local is dropped when istiod merges it with DestinationRule/shop/b (which applies, if it is older)',
    ]);
  });
});

describe('MESH-VS-007 mirror port', () => {
  test('a mirror to a port the Service does not have is a warning; one it has is not', () => {
    const vs = (port: number) => virtualService('checkout', { hosts: ['checkout'], http: [{ route: [{ destination: { host: 'checkout' } }], mirror: { host: 'checkout', port: { number: port } } }] });
    expect(lines(check(vsMirrorNotFound, service('checkout'), vs(8080)))).toEqual([
      'VirtualService/shop/checkout /spec/http/0/mirror/port/number: mirror port 8080 of checkout.shop.svc.cluster.local is not a port of Service/shop/checkout (ports: 80)',
    ]);
    expect(check(vsMirrorNotFound, service('checkout'), vs(80))).toEqual([]);
  });
});

describe('annotation values: interface names and ProxyConfig (MESH-ANN-002)', () => {
  const pod = (annotations: Record<string, string>) => deployment('a', { annotations });

  test('a valid interface list passes; an invalid one is an error', () => {
    expect(check(annInvalid, pod({ 'traffic.sidecar.istio.io/excludeInterfaces': 'eth0, eth1.100' }))).toEqual([]);
    expect(lines(check(annInvalid, pod({ 'traffic.sidecar.istio.io/excludeInterfaces': 'eth0,1eth' })))).toEqual([
      'Deployment/shop/a /spec/template/metadata/annotations/traffic.sidecar.istio.io~1excludeInterfaces: traffic.sidecar.istio.io/excludeInterfaces: "eth0,1eth" is invalid: interface name "1eth" contains invalid characters',
    ]);
  });

  test('a ProxyConfig whose YAML cannot be read (aliases past the parser\'s limit) is an error, not a crash', () => {
    expect(lines(check(annInvalid, pod({ 'proxy.istio.io/config': ALIAS_BOMB })))).toEqual([
      expect.stringMatching(/proxy.istio.io~1config: proxy.istio.io\/config: ".*" is invalid: not readable as YAML$/),
    ]);
    expect(proxyConfigOf({ 'proxy.istio.io/config': ALIAS_BOMB })).toBeUndefined();
  });
});

describe('skips', () => {
  test('MESH-MTLS-001: a selector PeerAuthentication without a mode inherits, and does not make its workloads STRICT', () => {
    const unmeshed = deployment('batch', { labels: { 'app': 'batch', 'sidecar.istio.io/inject': 'false' } });
    const objs = [peerAuthentication('default', { mtls: { mode: 'PERMISSIVE' } }), deployment('checkout'), unmeshed];
    expect(check(mtlsStrictWithoutSidecar, ...objs, peerAuthentication('checkout', { selector: { matchLabels: { app: 'checkout' } } }))).toEqual([]);
    expect(check(mtlsStrictWithoutSidecar, ...objs, peerAuthentication('checkout', { selector: { matchLabels: { app: 'checkout' } }, mtls: { mode: 'STRICT' } }))).toHaveLength(1);
    // under a STRICT namespace, the mode-less selector policy leaves its workload STRICT
    const strictNs = [peerAuthentication('default', { mtls: { mode: 'STRICT' } }), deployment('checkout'), unmeshed];
    expect(check(mtlsStrictWithoutSidecar, ...strictNs, peerAuthentication('checkout', { selector: { matchLabels: { app: 'checkout' } } }))).toHaveLength(1);
    // several STRICT peers: the count is plural
    expect(lines(check(mtlsStrictWithoutSidecar, peerAuthentication('default', { mtls: { mode: 'STRICT' } }), deployment('checkout'), deployment('pay'), unmeshed))[0])
      .toMatch(/and 2 meshed workloads of namespace shop refuse plaintext/);
  });

  test('MESH-CP-001: a disabled istiod, and the remote and empty profiles, are not judged', () => {
    expect(check(cpIstiodHa, istioOperator({ components: { pilot: { enabled: false } } }))).toEqual([]);
    expect(check(cpIstiodHa, istioOperator({ profile: 'remote' }))).toEqual([]);
    expect(check(cpIstiodHa, istioOperator({ profile: 'empty' }))).toEqual([]);
    expect(check(cpIstiodHa, istioOperator({ profile: 'minimal' }))).toHaveLength(2);
  });

  test('MESH-CP-003: a PodDisruptionBudget patch without autoscaling names replicaCount', () => {
    const io = istioOperator({
      values: { pilot: { autoscaleEnabled: false } },
      components: { pilot: { k8s: { podDisruptionBudget: { maxUnavailable: 1 } } } },
    });
    expect(check(cpHaOnlyThroughPatches, io).map((h) => h.fix)).toEqual([
      'set values.pilot.replicaCount to 2 or more, so the chart renders the PodDisruptionBudget',
    ]);
  });

  test('MESH-POD-002: an init container inheriting UID 1337 from the pod is not flagged', () => {
    expect(check(podInitNetwork, deployment('a', { spec: { securityContext: { runAsUser: 1337 } }, initContainers: [{ name: 'm', image: 'm' }] }))).toEqual([]);
  });

  test('MESH-TEL-004: a mesh default access log provider makes provider-less entries fine', () => {
    const tel = telemetry('mesh-default', { accessLogging: [{ disabled: false }] });
    expect(check(telemetryAccessLogNoProvider, tel)).toHaveLength(1);
    expect(check(telemetryAccessLogNoProvider, tel, goodOperator({ meshConfig: { defaultProviders: { accessLogging: ['envoy'] } } }))).toEqual([]);
  });

  test('MESH-TEL-003: a Telemetry whose selector has no labels is ignored (selector.go); one pod selected by three is reported once per Telemetry', () => {
    const sel = (name: string) => telemetry(name, { selector: { matchLabels: { app: 'checkout' } } }, 'shop');
    // selector.go ignores a Telemetry whose selector has no matchLabels: it conflicts with no selecting one
    expect(check(telemetryConflicts, deployment('checkout'), telemetry('x', { selector: { matchLabels: {} } }, 'shop'), sel('a'))).toEqual([]);
    expect(lines(check(telemetryConflicts, deployment('checkout'), deployment('checkout', { namespace: 'shop', ownLabels: { x: 'y' } }), sel('a'), sel('b'), sel('c')))).toEqual([
      'Telemetry/shop/a /spec/selector: selects Deployment/shop/checkout, as 2 other Telemetries do (a, b, c)',
      'Telemetry/shop/b /spec/selector: selects Deployment/shop/checkout, as 2 other Telemetries do (a, b, c)',
      'Telemetry/shop/c /spec/selector: selects Deployment/shop/checkout, as 2 other Telemetries do (a, b, c)',
    ]);
  });

  test('MESH-DR-003: caCertificates set, or credentialName on a DestinationRule with a workloadSelector, is fine; a port without a number shows ?', () => {
    const tls = (t: any, extra: any = {}) => destinationRule('db', { host: 'db', trafficPolicy: { tls: t }, ...extra });
    expect(check(drTlsWithoutCa, tls({ mode: 'SIMPLE', caCertificates: '/etc/ca.pem' }))).toEqual([]);
    expect(check(drTlsWithoutCa, tls({ mode: 'SIMPLE', credentialName: 'db-ca' }, { workloadSelector: { matchLabels: { app: 'x' } } }))).toEqual([]);
    expect(check(drTlsWithoutCa, tls({ mode: 'SIMPLE', credentialName: 'db-ca' }))).toHaveLength(1);
    expect(lines(check(drTlsWithoutCa, destinationRule('db', { host: 'db', trafficPolicy: { portLevelSettings: [{ tls: { mode: 'MUTUAL' } }] } })))).toEqual([
      'DestinationRule/shop/db /spec/trafficPolicy/portLevelSettings/0/tls: TLS mode MUTUAL for db port ? has no caCertificates to verify the server',
    ]);
  });

  test('odd shapes: a null subset (DR-001), a port without a number (SVC-003), a non-string regex (VS-005), a DestinationRule without subsets (VS-003)', () => {
    expect(check(drSubsetNoPods, service('checkout'), deployment('checkout'), destinationRule('checkout', { host: 'checkout', subsets: [null] }))).toEqual([]);
    expect(check(svcPortProtocolConflict, deployment('checkout'), service('checkout', [{ name: 'http' }]), service('checkout-2', [{ name: 'tcp' }], 'shop', { app: 'checkout' }))).toEqual([]);
    expect(lines(check(vsInvalidRegex, virtualService('v', { hosts: ['v'], http: [null, { match: [null, { uri: { regex: 5 } }] }] })))).toEqual([
      'VirtualService/shop/v /spec/http/1/match/1/uri/regex: uri regex 5 is not a string',
    ]);
    expect(lines(check(vsUndefinedSubset, destinationRule('checkout', { host: 'checkout' }), virtualService('checkout', { hosts: ['checkout'], http: [{ route: [{ destination: { host: 'checkout', subset: 'v1' } }] }] })))).toEqual([
      'VirtualService/shop/checkout /spec/http/0/route/0/destination/subset: subset "v1" of checkout.shop.svc.cluster.local is not defined by its DestinationRule (subsets: none)',
    ]);
  });

  test('podTemplatesMatching with no labels is every pod template of the namespace (as an empty label selector)', () => {
    const objs = new MeshObjects([deployment('a'), deployment('b'), deployment('c', { namespace: 'other' }), namespaceObject('shop')]);
    expect(objs.podTemplatesMatching('shop', {}).map((t) => t.object.metadata?.name)).toEqual(['a', 'b']);
    expect(objs.podTemplatesMatching('none', {})).toEqual([]);
  });
});

describe('engine and plugin edges', () => {
  test('a rule that throws a non-Error, or reports an object it was not given, still yields findings', () => {
    const thrower: MeshRule = { id: 'MESH-TEST-002', level: 'error', info: 'i', explanation: 'e', fix: 'f', check: () => { throw 'plain string'; } };
    const stranger: MeshRule = { id: 'MESH-TEST-003', level: 'warning', info: 'i', explanation: 'e', fix: 'f', check: () => [{ object: { kind: 'X', metadata: { name: 'x' } }, location: '', message: 'm' }] };
    const run = runRules([], () => [], { rules: [thrower, stranger] });
    expect(run.findings.map(formatFinding)).toEqual([
      '(all objects): [MESH-TEST-002] the rule could not run: plain string (at /): report this as a cdk8s-mesh bug; suppress the rule meanwhile',
      'X/default/x: [MESH-TEST-003] m (at /): f',
    ]);
    expect(reportMarkdown(run)).toContain('| warning | MESH-TEST-003 | X/default/x | `` | m | f |');
  });

  test('the plugin refuses suppressions that are not a list, and takes null properties as none', () => {
    expect(() => new MeshRulesValidation({ suppressions: 'MESH-VS-002' as any }))
      .toThrow(/cdk8s.yaml: mesh rules properties: suppressions must be a list, got "MESH-VS-002": write suppressions: \[\{ ruleId, reason, finding\? \}\]/);
    expect(() => new MeshRulesValidation(null as any)).not.toThrow();
  });
});

describe('annotation value checks at their edges (pkg/kube/inject/validate.go, pkg/util/net/ip.go)', () => {
  test.each([
    ['traffic.sidecar.istio.io/includeInboundPorts', '*', undefined],
    ['traffic.sidecar.istio.io/excludeInboundPorts', '', undefined],
    ['traffic.sidecar.istio.io/excludeOutboundPorts', '  ', undefined],
    ['traffic.sidecar.istio.io/excludeOutboundPorts', '8080,', 'failed parsing port \'\''],
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', '', undefined],
    ['traffic.sidecar.istio.io/includeOutboundIPRanges', '10.0.0.0/33', 'failed parsing cidr \'10.0.0.0/33\''],
    ['traffic.sidecar.istio.io/excludeInterfaces', '', undefined],
    ['traffic.sidecar.istio.io/kubevirtInterfaces', 'eth0,,eth1', 'empty interface name'],
    ['istio.io/reroute-virtual-interfaces', 'averyverylongname', 'interface name "averyverylongname" too long (max 15 chars)'],
    ['istio.io/reroute-virtual-interfaces', 'exactly15chars0', undefined],
    ['proxy.istio.io/config', '5', 'not a ProxyConfig object'],
    ['proxy.istio.io/config', 'just words', 'not a ProxyConfig object'],
    ['proxy.istio.io/config', '', undefined],
    ['readiness.status.sidecar.istio.io/periodSeconds', '4294967295', undefined],
    ['readiness.status.sidecar.istio.io/periodSeconds', '4294967296', 'not an unsigned 32-bit integer'],
    ['sidecar.istio.io/interceptionMode', 'TPROXY', undefined],
  ])('%s %j: %p', (key, value, problem) => {
    expect(ANNOTATION_VALIDATION[key](value)).toBe(problem);
  });
});

describe('messages for objects without a namespace, ports without numbers, services without ports', () => {
  // No metadata.namespace: kubectl applies it to `default`, and the messages say so.
  const bare = (kind: string, name: string, spec: any): any => ({ apiVersion: kind === 'Service' ? 'v1' : 'networking.istio.io/v1', kind, metadata: { name }, spec });

  test('MESH-VS-006 and MESH-VS-007 in the default namespace, against a Service without ports', () => {
    const svc = bare('Service', 'web', { selector: { app: 'web' } });
    const vs = bare('VirtualService', 'web', {
      hosts: ['web'],
      http: [{ route: [{ destination: { host: 'web', port: { number: 80 } } }, { destination: { host: 'gone' } }], mirror: { host: 'gone' } }],
    });
    expect(lines(check(vsDestinationNotFound, svc, vs))).toEqual([
      'VirtualService/default/web /spec/http/0/route/0/destination/port/number: port 80 of web.default.svc.cluster.local is not a port of Service/default/web (ports: none)',
      'VirtualService/default/web /spec/http/0/route/1/destination/host: host "gone" (gone.default.svc.cluster.local) is not a Service or ServiceEntry visible to namespace default',
    ]);
    expect(lines(check(vsMirrorNotFound, svc, vs))).toEqual([
      'VirtualService/default/web /spec/http/0/mirror/host: mirror host "gone" (gone.default.svc.cluster.local) is not a Service or ServiceEntry visible to namespace default',
    ]);
    const mirrorPort = bare('VirtualService', 'web', { hosts: ['web'], http: [{ route: [{ destination: { host: 'gone.default.svc.cluster.local' } }], mirror: { host: 'web', port: { number: 81 } } }] });
    expect(lines(check(vsMirrorNotFound, svc, mirrorPort))).toEqual([
      'VirtualService/default/web /spec/http/0/mirror/port/number: mirror port 81 of web.default.svc.cluster.local is not a port of Service/default/web (ports: none)',
    ]);
  });

  test('MESH-VS-008 says when the port-less destination is a mirror', () => {
    const svc = service('web', [{ name: 'http', port: 80 }, { name: 'grpc', port: 9090 }]);
    expect(lines(check(vsDestinationPortRequired, svc, virtualService('web', { hosts: ['web'], http: [{ route: [{ destination: { host: 'web', port: { number: 80 } } }], mirror: { host: 'web' } }] })))).toEqual([
      'VirtualService/shop/web /spec/http/0/mirror: mirror destination web.shop.svc.cluster.local names no port, and Service/shop/web has ports 80, 9090',
    ]);
  });

  test('MESH-SVC-001 and MESH-SVC-002 on a port without number or name', () => {
    expect(lines(check(servicePortProtocol, service('a', [{}])))).toEqual(['Service/shop/a /spec/ports/0: port ? has no name and no appProtocol, so Istio has to sniff its protocol']);
    expect(lines(check(externalNamePortName, { ...service('b', [{ name: 'tcp' }]), spec: { type: 'ExternalName', externalName: 'x.example.com', ports: [{ name: 'tcp' }] } })))
      .toEqual(['Service/shop/b /spec/ports/0: port ? of ExternalName Service shop/b is named "tcp"']);
  });

  test('MESH-SVC-004 skips a port without a number; MESH-HOST-002 a subset without a name', () => {
    expect(check(svcTargetPortConflict, deployment('checkout'), service('checkout', [{ name: 'http', port: 80, targetPort: 8080 }]),
      service('checkout-2', [{ name: 'http', targetPort: 8080 }], 'shop', { app: 'checkout' }))).toEqual([]);
    expect(check(svcTargetPortConflict, deployment('checkout'), service('checkout', [{ name: 'http', port: 80, targetPort: 8080 }]),
      service('checkout-2', [{ name: 'http', port: 81, targetPort: 8080 }], 'shop', { app: 'checkout' }))).toHaveLength(1);
    const nameless = (name: string) => destinationRule(name, { host: 'checkout', subsets: [{ labels: { version: 'v1' } }] });
    expect(check(hostMergedDestinationRules, nameless('a'), nameless('b'), nameless('c'))).toEqual([]);
  });

  test('the index skips what is not an object with a kind, a ServiceEntry host that is not a string, a Service without a name', () => {
    const objs = new MeshObjects([null as any, 'text' as any, { metadata: { name: 'no-kind' } }, deployment('a'),
      { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'se', namespace: 'shop' }, spec: { hosts: [5, 'api.acme.com'], ports: [{ number: 443 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'shop' }, spec: { ports: [{ port: 80 }] } }]);
    expect(objs.podTemplates().map((t) => t.object.metadata?.name)).toEqual(['a']);
    expect(objs.destinationHost('shop', undefined, 'api.acme.com')?.ports).toEqual([443]);
    // a host 5 would be read as the Service host 5.shop.svc.cluster.local
    expect(objs.judgesHost('5.shop.svc.cluster.local')).toBe(false);
    expect(objs.ofKind('Service')).toHaveLength(1);
    expect(refOf({})).toBe('?/default/?');
  });
});

describe('MeshRules.suppress on the App itself', () => {
  test('is recorded as declared at "(app)" and suppresses the findings of every object', () => {
    const base = mkdtempSync(join(tmpdir(), 'mesh-rules-app-'));
    const app = Testing.app({ outdir: join(base, 'dist') });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    MeshRules.enable(app, { reportDir: join(base, 'reports') });
    new ApiObject(chart, 'catch-all', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'catch-all' },
      spec: { hosts: ['*'], http: [{ route: [{ destination: { host: 'checkout.shop.svc.cluster.local' } }] }] },
    });
    MeshRules.suppress(app, 'MESH-VS-001', 'the catch-all is this test\'s subject');
    app.synth();
    const report = JSON.parse(readFileSync(join(base, 'reports', 'mesh-rules-report.json'), 'utf8'));
    expect(report.findings.filter((f: any) => f.ruleId === 'MESH-VS-001').map((f: any) => [f.suppressed, f.suppressionSource]))
      .toEqual([[true, '(app)']]);
  });
});
