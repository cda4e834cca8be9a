// Witnesses for the rules' skips and edges: each test fails when the branch it names is removed or
// flipped (issue 18's surviving mutants). The Istio source each edge follows is cited in the rule.
import { check, deployment, destinationRule, goodOperator, istioOperator, lines, namespaceObject, service, virtualService } from './objects';
import { ALL_RULES } from '../../src/rules/all-rules';
import { cpIstiodHa } from '../../src/rules/cp-001-istiod-ha';
import { drMaxRequestsPerConnection } from '../../src/rules/dr-002-max-requests-per-connection';
import { runRules } from '../../src/rules/engine';
import { namespaceInjectionLabels } from '../../src/rules/inj-002-namespace-labels';
import { namespaceNotInjected } from '../../src/rules/inj-003-namespace-not-injected';
import { MeshObjects } from '../../src/rules/mesh-objects';
import { podProxyUid } from '../../src/rules/pod-001-proxy-uid';
import { podInitNetwork } from '../../src/rules/pod-002-init-network';
import { KObject } from '../../src/rules/rule';
import { splitBypassable } from '../../src/rules/split-001-bypassable-split';
import { servicePortProtocol } from '../../src/rules/svc-001-port-protocol';
import { externalNamePortName } from '../../src/rules/svc-002-external-name-port';
import { vsUndefinedSubset } from '../../src/rules/vs-003-undefined-subset';
import { vsInvalidRegex } from '../../src/rules/vs-005-invalid-regex';

const migrate = { name: 'migrate', image: 'migrate:1' };

describe('MESH-VS-003: mirror and mirrors destinations are checked as route destinations', () => {
  // virtualservice/destinationrules.go walks getRouteDestinations and getHTTPMirrorDestinations.
  const dr = destinationRule('checkout', { host: 'checkout', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
  const route = [{ destination: { host: 'checkout', subset: 'v1' } }];

  test('a mirror to an undefined subset is an error', () => {
    expect(lines(check(vsUndefinedSubset, dr, virtualService('checkout', { hosts: ['checkout'], http: [{ route, mirror: { host: 'checkout', subset: 'v9' } }] })))).toEqual([
      'VirtualService/shop/checkout /spec/http/0/mirror/subset: subset "v9" of checkout.shop.svc.cluster.local is not defined by its DestinationRule (subsets: v1)',
    ]);
  });

  test('a mirrors entry to an undefined subset is an error, a defined one is not', () => {
    const vs = virtualService('checkout', {
      hosts: ['checkout'],
      http: [{ route, mirrors: [{ destination: { host: 'checkout', subset: 'v1' } }, { destination: { host: 'checkout', subset: 'v2' }, percentage: { value: 5 } }] }],
    });
    expect(lines(check(vsUndefinedSubset, dr, vs))).toEqual([
      'VirtualService/shop/checkout /spec/http/0/mirrors/1/destination/subset: subset "v2" of checkout.shop.svc.cluster.local is not defined by its DestinationRule (subsets: v1)',
    ]);
  });

  test('tls route destinations are checked too', () => {
    expect(lines(check(vsUndefinedSubset, dr, virtualService('checkout', { hosts: ['checkout'], tls: [{ match: [{ sniHosts: ['checkout'] }], route: [{ destination: { host: 'checkout', subset: 'v3' } }] }] })))).toEqual([
      'VirtualService/shop/checkout /spec/tls/0/route/0/destination/subset: subset "v3" of checkout.shop.svc.cluster.local is not defined by its DestinationRule (subsets: v1)',
    ]);
  });
});

describe('injection: namespace labels and pod opt-outs (injection/injection.go, mutatingwebhook.yaml)', () => {
  const inNs = (ns: string, labels: Record<string, string> = { app: 'a' }) => deployment('a', { namespace: ns, labels, initContainers: [migrate] });

  test('a namespace labelled istio.io/rev is injected: its pods are meshed, and it is not reported as uninjected', () => {
    const rev = namespaceObject('canary', { 'istio.io/rev': '1-30' });
    const objs = new MeshObjects([rev, inNs('canary')]);
    expect(objs.injection(objs.podTemplates()[0])).toBe('on');
    expect(lines(check(podInitNetwork, rev, inNs('canary')))).toHaveLength(1);
    expect(check(namespaceNotInjected, rev)).toEqual([]);
  });

  test('istio-injection=disabled wins over a pod label "true"; a pod label or annotation "false" opts out', () => {
    const disabled = namespaceObject('legacy', { 'istio-injection': 'disabled' });
    const enabled = namespaceObject('shop', { 'istio-injection': 'enabled' });
    expect(check(podInitNetwork, disabled, inNs('legacy', { 'app': 'a', 'sidecar.istio.io/inject': 'true' }))).toEqual([]);
    expect(check(podInitNetwork, enabled, inNs('shop', { 'app': 'a', 'sidecar.istio.io/inject': 'false' }))).toEqual([]);
    expect(check(podInitNetwork, enabled, deployment('a', { labels: { app: 'a' }, annotations: { 'sidecar.istio.io/inject': 'false' }, initContainers: [migrate] }))).toEqual([]);
    // the same pods in an enabled namespace are meshed: the opt-outs above are what silence them
    expect(check(podInitNetwork, enabled, inNs('shop'))).toHaveLength(1);
    // disabled states a choice: not reported as uninjected
    expect(check(namespaceNotInjected, disabled)).toEqual([]);
  });

  test('MESH-INJ-003 reports a namespace without a label, and one whose istio-injection is empty (the analyzer tests `injectionLabel == ""`)', () => {
    expect(lines(check(namespaceNotInjected, namespaceObject('plain'), namespaceObject('blank', { 'istio-injection': '' }), namespaceObject('on', { 'istio-injection': 'enabled' })))).toEqual([
      'Namespace/default/plain /metadata/labels: namespace plain has neither istio-injection nor istio.io/rev: its pods get no sidecar unless they opt in',
      'Namespace/default/blank /metadata/labels: namespace blank has an empty istio-injection label and no istio.io/rev: no injection webhook selects its pods, even those that opt in',
    ]);
    // an empty istio-injection beside istio.io/rev: the revision label injects
    expect(check(namespaceNotInjected, namespaceObject('rev', { 'istio-injection': '', 'istio.io/rev': 'canary' }))).toEqual([]);
  });

  test('MESH-INJ-002 counts istio.io/rev only beside istio-injection absent or enabled', () => {
    expect(check(namespaceInjectionLabels, namespaceObject('a', { 'istio-injection': 'disabled', 'istio.io/rev': 'canary' }))).toEqual([]);
    expect(lines(check(namespaceInjectionLabels, namespaceObject('b', { 'istio-injection': 'enabled', 'istio.io/rev': 'canary' })))).toEqual([
      'Namespace/default/b /metadata/labels: has 2 injection labels (istio-injection=enabled, istio.io/rev=canary)',
    ]);
    expect(lines(check(namespaceInjectionLabels, namespaceObject('c', { 'istio.io/rev': 'canary', 'istio.io/dataplane-mode': 'ambient' })))).toEqual([
      'Namespace/default/c /metadata/labels: has 2 injection labels (istio.io/rev=canary, istio.io/dataplane-mode=ambient)',
    ]);
    expect(check(namespaceInjectionLabels, { ...namespaceObject('istio-system', { 'istio-injection': 'enabled', 'istio.io/rev': 'x' }) })).toEqual([]);
  });
});

describe('ExternalName Services (service/portname.go: IST0150, not IST0118)', () => {
  const ext = (ports: any[], selector?: Record<string, string>): KObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'shop' },
    spec: { type: 'ExternalName', externalName: 'db.example.com', ports, selector },
  });

  test('MESH-SVC-001 leaves an ExternalName port without a protocol to MESH-SVC-002', () => {
    const s = ext([{ name: 'db', port: 5432 }]);
    expect(check(servicePortProtocol, s)).toEqual([]);
    expect(lines(check(externalNamePortName, s))).toEqual([
      'Service/shop/db /spec/ports/0: port 5432 of ExternalName Service shop/db is named "db" without a protocol',
    ]);
    // the same port on a ClusterIP Service is MESH-SVC-001's
    expect(check(servicePortProtocol, service('db', [{ name: 'db', port: 5432 }]))).toHaveLength(1);
  });

  test('MESH-SVC-002 reports a port named exactly "tcp", not tcp-<suffix>, appProtocol, or UDP', () => {
    expect(lines(check(externalNamePortName, ext([{ name: 'tcp', port: 1 }, { name: 'tcp-db', port: 2 }, { name: 'x', appProtocol: 'mongo', port: 3 }, { name: 'dns', protocol: 'UDP', port: 53 }])))).toEqual([
      'Service/shop/db /spec/ports/0: port 1 of ExternalName Service shop/db is named "tcp"',
    ]);
  });

  test('MESH-SPLIT-001 ignores an ExternalName Service whose selector spans the split (it has no endpoints)', () => {
    const objs = [
      service('reviews', undefined, 'shop', { app: 'reviews', version: 'v1' }),
      service('reviews-v2', undefined, 'shop', { app: 'reviews', version: 'v2' }),
      deployment('reviews-v1', { labels: { app: 'reviews', version: 'v1' } }),
      deployment('reviews-v2', { labels: { app: 'reviews', version: 'v2' } }),
      virtualService('reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' }, weight: 90 }, { destination: { host: 'reviews-v2' }, weight: 10 }] }] }),
    ];
    expect(check(splitBypassable, ...objs)).toEqual([]);
    expect(check(splitBypassable, ...objs, ext([{ name: 'http', port: 80 }], { app: 'reviews' }))).toEqual([]);
    // the same selector on a ClusterIP Service bypasses the split
    expect(lines(check(splitBypassable, ...objs, service('all', undefined, 'shop', { app: 'reviews' })))).toHaveLength(1);
  });
});

describe('MESH-VS-005: queryParams and withoutHeaders regexes are compiled as istiod does', () => {
  const vs = (match: any) => virtualService('checkout', { hosts: ['checkout'], http: [{ match: [match], route: [{ destination: { host: 'checkout' } }] }] });

  test('an invalid queryParams regex is an error', () => {
    expect(lines(check(vsInvalidRegex, vs({ queryParams: { q: { regex: '(?=x)' } } })))).toEqual([
      expect.stringMatching(/^VirtualService\/shop\/checkout \/spec\/http\/0\/match\/0\/queryParams\/q\/regex: queryParams "q" regex "\(\?=x\)" uses a lookaround/),
    ]);
    expect(check(vsInvalidRegex, vs({ queryParams: { q: { regex: 'v[0-9]+' } } }))).toEqual([]);
  });

  test('an invalid withoutHeaders regex is an error; "*" there means "present" and is no regex', () => {
    expect(lines(check(vsInvalidRegex, vs({ withoutHeaders: { 'x-a/b': { regex: '[' } } })))).toEqual([
      expect.stringMatching(/^VirtualService\/shop\/checkout \/spec\/http\/0\/match\/0\/withoutHeaders\/x-a~1b\/regex: withoutHeaders "x-a\/b" regex "\[" /),
    ]);
    expect(check(vsInvalidRegex, vs({ withoutHeaders: { 'x-debug': { regex: '*' } } }))).toEqual([]);
    // "*" is only special in withoutHeaders: in headers it is an invalid regex
    expect(check(vsInvalidRegex, vs({ headers: { 'x-debug': { regex: '*' } } }))).toHaveLength(1);
  });
});

describe('MESH-POD-002: native sidecars start before the other init containers', () => {
  test('an init container that is itself a native sidecar (restartPolicy: Always) is not flagged', () => {
    expect(check(podInitNetwork, deployment('a', { initContainers: [{ name: 'log-shipper', image: 'fluent-bit', restartPolicy: 'Always' }] }))).toEqual([]);
  });

  test('an istio-proxy injected as a native sidecar silences the pod; injected classically it does not', () => {
    const proxy = { name: 'istio-proxy', image: 'proxyv2' };
    expect(check(podInitNetwork, deployment('a', { labels: { app: 'a' }, initContainers: [{ ...proxy, restartPolicy: 'Always' }, migrate] }))).toEqual([]);
    expect(lines(check(podInitNetwork, deployment('a', { labels: { app: 'a' }, containers: [{ name: 'app', image: 'a' }, proxy], initContainers: [migrate] })))).toEqual([
      expect.stringMatching(/^Deployment\/shop\/a \/spec\/template\/spec\/initContainers\/0: init container "migrate" runs before the sidecar is up/),
    ]);
  });

  test('ENABLE_NATIVE_SIDECARS in components.pilot.k8s.env silences it; "false" does not', () => {
    const env = (value: string) => goodOperator({ components: { pilot: { k8s: { hpaSpec: { minReplicas: 2 }, env: [{ name: 'ENABLE_NATIVE_SIDECARS', value }] } } } });
    expect(check(podInitNetwork, deployment('a', { initContainers: [migrate] }), env('true'))).toEqual([]);
    expect(check(podInitNetwork, deployment('a', { initContainers: [migrate] }), env('false'))).toHaveLength(1);
  });
});

describe('MESH-POD-001: the manually injected proxy runs as 1337 by design', () => {
  test('istio-proxy with UID 1337 (own or from the pod) is not the app', () => {
    const proxy = { name: 'istio-proxy', image: 'proxyv2', securityContext: { runAsUser: 1337 } };
    expect(check(podProxyUid, deployment('m', { containers: [{ name: 'app', image: 'a' }, proxy] }))).toEqual([]);
    // the app beside it, at 1337, is flagged: only the proxy is skipped
    expect(lines(check(podProxyUid, deployment('m', { containers: [{ name: 'app', image: 'a', securityContext: { runAsUser: 1337 } }, proxy] })))).toEqual([
      'Deployment/shop/m /spec/template/spec/containers/0/securityContext/runAsUser: container "app" runs as UID 1337',
    ]);
  });

  test('a pod that is not injected is not judged; a container UID overrides the pod\'s', () => {
    expect(check(podProxyUid, deployment('o', { labels: { 'app': 'o', 'sidecar.istio.io/inject': 'false' }, containers: [{ name: 'app', image: 'a', securityContext: { runAsUser: 1337 } }] }))).toEqual([]);
    expect(check(podProxyUid, deployment('p', { spec: { securityContext: { runAsUser: 1337 } }, containers: [{ name: 'app', image: 'a', securityContext: { runAsUser: 1000 } }] }))).toEqual([]);
  });
});

describe('MESH-DR-002: the threshold is 100 requests per connection', () => {
  const drWith = (n: unknown) => destinationRule('a', { host: 'a', trafficPolicy: { connectionPool: { http: { maxRequestsPerConnection: n } } } });

  test.each([
    [0, false], // 0 is unlimited: istiod sets Envoy's max_requests_per_connection only when > 0
    [1, true], [99, true], [100, false], [101, false],
  ])('%p requests per connection flagged: %p', (n, flagged) => {
    expect(check(drMaxRequestsPerConnection, drWith(n))).toHaveLength(flagged ? 1 : 0);
  });

  test('99 gives the share of requests that pay a handshake', () => {
    expect(lines(check(drMaxRequestsPerConnection, drWith(99)))).toEqual([
      'DestinationRule/shop/a /spec/trafficPolicy/connectionPool/http/maxRequestsPerConnection: maxRequestsPerConnection is 99: a new connection, and with mTLS a new handshake, every 99 requests (~1% of requests)',
    ]);
  });

  test('port-level settings are checked', () => {
    expect(lines(check(drMaxRequestsPerConnection, destinationRule('a', { host: 'a', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, connectionPool: { http: { maxRequestsPerConnection: 2 } } }] } })))).toEqual([
      'DestinationRule/shop/a /spec/trafficPolicy/portLevelSettings/0/connectionPool/http/maxRequestsPerConnection: maxRequestsPerConnection is 2: a new connection, and with mTLS a new handshake, every 2 requests (~50% of requests)',
    ]);
  });

  test('odd shapes do not crash it: no connectionPool, no http, null subsets, null policies', () => {
    const odd = [
      destinationRule('a', { host: 'a', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }),
      destinationRule('b', { host: 'b', trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } }),
      destinationRule('c', { host: 'c', trafficPolicy: null, subsets: [null, { name: 'v1' }, { name: 'v2', trafficPolicy: null }, { name: 'v3', trafficPolicy: { connectionPool: null } }] }),
      destinationRule('d', { host: 'd', trafficPolicy: { connectionPool: { http: null }, portLevelSettings: [null, { port: { number: 80 } }] } }),
    ];
    expect(check(drMaxRequestsPerConnection, ...odd)).toEqual([]);
    const run = runRules(odd.map((object) => ({ object })), () => [], { rules: ALL_RULES.filter((r) => r.id === 'MESH-DR-002') });
    expect(run.findings).toEqual([]);
  });
});

describe('MESH-CP-001 with autoscaleEnabled: false (istio-discovery deployment.yaml: replicas from replicaCount)', () => {
  const affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } };
  const io = (pilotValues: any, k8s: any = {}) =>
    istioOperator({ values: { pilot: { autoscaleEnabled: false, ...pilotValues } }, components: { pilot: { k8s: { affinity, ...k8s } } } });

  test('an HPA minimum does not count without autoscaling: one replica', () => {
    expect(lines(check(cpIstiodHa, io({ autoscaleMin: 3 }, { hpaSpec: { minReplicas: 3 } })))).toEqual([
      'IstioOperator/istio-system/control-plane /spec/components/pilot/k8s: istiod runs 1 replica at minimum',
    ]);
  });

  test('values.pilot.replicaCount or a k8s.replicaCount patch (which wins) counts', () => {
    expect(check(cpIstiodHa, io({ replicaCount: 2 }))).toEqual([]);
    expect(check(cpIstiodHa, io({ replicaCount: 1 }, { replicaCount: 2 }))).toEqual([]);
    expect(lines(check(cpIstiodHa, io({ replicaCount: 3 }, { replicaCount: 1 })))).toEqual([
      'IstioOperator/istio-system/control-plane /spec/components/pilot/k8s: istiod runs 1 replica at minimum',
    ]);
  });

  test('with autoscaling (the default), replicaCount does not count and autoscaleMin does', () => {
    const auto = (pilotValues: any) => istioOperator({ values: { pilot: pilotValues }, components: { pilot: { k8s: { affinity } } } });
    expect(lines(check(cpIstiodHa, auto({ replicaCount: 3 })))).toHaveLength(1);
    expect(check(cpIstiodHa, auto({ autoscaleMin: 2 }))).toEqual([]);
    expect(lines(check(cpIstiodHa, auto({ autoscaleEnabled: true, autoscaleMin: 0 })))).toEqual([
      'IstioOperator/istio-system/control-plane /spec/components/pilot/k8s: istiod runs 0 replicas at minimum',
    ]);
  });
});
