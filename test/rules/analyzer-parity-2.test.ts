// Rules mirroring istioctl analyze's injection, deployment/services and IST0140 analyzers, over the
// analyzers' own test data (test/fixtures/istio-analyzers, from istio/istio 1.30.3).
import { join } from 'node:path';
import { Chart, Testing, Yaml } from 'cdk8s';
import { check, deployment, istioOperator, lines, namespaceObject, service, virtualService } from './objects';
import { CanaryRelease, HeaderMatch, IngressTls, MeshedService, MeshRules, ServiceIngress } from '../../src';
import { namespaceNotInjected } from '../../src/rules/inj-003-namespace-not-injected';
import { KObject, MeshRule } from '../../src/rules/rule';
import { svcPortProtocolConflict } from '../../src/rules/svc-003-port-protocol-conflict';
import { svcTargetPortConflict } from '../../src/rules/svc-004-target-port-conflict';
import { vsIngressBypassesSubsets } from '../../src/rules/vs-009-ingress-bypasses-subsets';

const load = (f: string) => Yaml.load(join(__dirname, '..', 'fixtures', 'istio-analyzers', f)) as KObject[];
const reported = (rule: MeshRule, objects: KObject[]) => [...new Set(check(rule, ...objects).map((h) => {
  const m = h.object.metadata ?? {};
  return h.object.kind === 'Namespace' ? `Namespace ${m.name}` : `${h.object.kind} ${m.namespace ?? 'default'}/${m.name}`;
}))].sort();

describe('MESH-INJ-003 (IST0102, IST0148) on injection.yaml', () => {
  test('is a warning; reports the namespace without an injection label, as the analyzer (bar)', () => {
    expect(namespaceNotInjected.level).toBe('warning');
    expect(reported(namespaceNotInjected, load('injection.yaml'))).toEqual(['Namespace bar']);
    expect(lines(check(namespaceNotInjected, ...load('injection.yaml')))).toEqual([
      'Namespace/default/bar /metadata/labels: namespace bar has neither istio-injection nor istio.io/rev: its pods get no sidecar unless they opt in',
    ]);
  });

  test('with enableNamespacesByDefault (here from the IstioOperator, there from the injector ConfigMap) it says so (IST0148)', () => {
    const io = istioOperator({ values: { sidecarInjectorWebhook: { enableNamespacesByDefault: true } } });
    expect(check(namespaceNotInjected, ...load('injection.yaml'), io).map((h) => h.message)).toEqual([
      'namespace bar is injected only because the install sets sidecarInjectorWebhook.enableNamespacesByDefault, and has no injection label',
    ]);
  });

  test('skips the root namespace, the injector\'s ignored namespaces, ambient and labelled ones', () => {
    expect(check(namespaceNotInjected, namespaceObject('istio-system'), namespaceObject('kube-system'), namespaceObject('mesh-root'),
      istioOperator({ meshConfig: { rootNamespace: 'mesh-root' } }), namespaceObject('a', { 'istio.io/dataplane-mode': 'ambient' }),
      namespaceObject('b', { 'istio-injection': 'disabled' }), namespaceObject('c', { 'istio.io/rev': 'canary' }))).toEqual([]);
  });
});

describe('MESH-SVC-003 (IST0116), MESH-SVC-004 (IST0137) on deployment-multi-service*.yaml', () => {
  test('are warnings and report the Deployments the analyzer reports, code by code', () => {
    expect(svcPortProtocolConflict.level).toBe('warning');
    expect(svcTargetPortConflict.level).toBe('warning');
    const objs = load('deployment-multi-service.yaml');
    expect(reported(svcPortProtocolConflict, objs)).toEqual(['Deployment bookinfo/multiple-svc-multiple-prot', 'Deployment bookinfo/multiple-without-port']);
    expect(reported(svcTargetPortConflict, objs)).toEqual(['Deployment bookinfo/conflicting-ports']);
    for (const f of ['deployment-multi-service-different-ns.yaml', 'deployment-service-no-selector.yaml']) {
      expect(check(svcPortProtocolConflict, ...load(f))).toEqual([]);
      expect(check(svcTargetPortConflict, ...load(f))).toEqual([]);
    }
  });

  test('says which port and which Services', () => {
    expect(lines(check(svcTargetPortConflict, ...load('deployment-multi-service.yaml')))).toEqual([
      'Deployment/bookinfo/conflicting-ports /spec/template/metadata/labels: targetPort 9080 is reached through ports 9080, 9090 (bookinfo/conflicting-ports-1, bookinfo/conflicting-ports-2)',
    ]);
  });

  test('workloads without the sidecar for sure are not judged', () => {
    const svcs = [service('api', [{ name: 'http', port: 80, targetPort: 8080 }]), service('api-admin', [{ name: 'http-admin', port: 81, targetPort: 8080 }], 'shop', { app: 'api' })];
    const injected = deployment('api', { labels: { 'app': 'api', 'sidecar.istio.io/inject': 'true' } });
    expect(check(svcTargetPortConflict, injected, ...svcs).map((h) => h.message)).toEqual(['targetPort 8080 is reached through ports 80, 81 (shop/api, shop/api-admin)']);
    expect(check(svcTargetPortConflict, deployment('api', { labels: { app: 'api' } }), ...svcs)).toEqual([]);
  });
});

describe('MESH-VS-009 (IST0140) on virtualservice_route_rule_no_effects_ingress.yaml', () => {
  test('is a warning and reports the gateway route without a subset', () => {
    expect(vsIngressBypassesSubsets.level).toBe('warning');
    expect(lines(check(vsIngressBypassesSubsets, ...load('virtualservice_route_rule_no_effects_ingress.yaml')))).toEqual([
      'VirtualService/default/testing-service-01-test-01 /spec/http/0/route/0/destination: routes gateway requests to ratings.default.svc.cluster.local without a subset, so the subset routing of VirtualService/default/ratings-01 does not apply to them',
    ]);
  });

  test('a VirtualService bound to the mesh and the gateway is not the "other" VirtualService of itself', () => {
    expect(check(vsIngressBypassesSubsets, virtualService('ratings', {
      hosts: ['ratings'],
      gateways: ['mesh', 'istio-system/gw'],
      http: [{ match: [{ headers: { x: { exact: '1' } } }], route: [{ destination: { host: 'ratings', subset: 'v2' } }] }, { route: [{ destination: { host: 'ratings' } }] }],
    }))).toEqual([]);
  });
});

test('our own constructs pass these rules: MeshedService versions, CanaryRelease, ServiceIngress', () => {
  const app = Testing.app();
  const c = new Chart(app, 'shop', { namespace: 'shop' });
  const svc = new MeshedService(c, 'storefront', { image: 'acme/storefront:5', port: 8080, version: 'v5' });
  svc.addVersion('v6');
  new CanaryRelease(c, 'canary', { service: svc, canaryVersion: 'v6', canaryWeight: 10, headerOverride: HeaderMatch.exact('x-canary', 'true') });
  new ServiceIngress(c, 'ingress', { service: svc, hosts: ['shop.example.com'], tls: IngressTls.fromSecret('shop-tls') });
  const ids = new Set([namespaceNotInjected, svcPortProtocolConflict, svcTargetPortConflict, vsIngressBypassesSubsets].map((r) => r.id));
  expect(MeshRules.check(app).filter((f) => ids.has(f.ruleId))).toEqual([]);
});
