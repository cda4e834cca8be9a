// Our rules over istioctl analyze's own test data (istio/istio pkg/config/analysis/analyzers/testdata),
// expecting the objects the analyzer's test (analyzers_test.go) expects for the codes each rule mirrors.
import { join } from 'node:path';
import { Yaml } from 'cdk8s';
import { check } from './objects';
import { drTlsWithoutCa } from '../../src/rules/dr-003-tls-without-ca';
import { namespaceInjectionLabels } from '../../src/rules/inj-002-namespace-labels';
import { podImageAuto } from '../../src/rules/pod-003-image-auto';
import { MeshRule, KObject } from '../../src/rules/rule';
import { externalNamePortName } from '../../src/rules/svc-002-external-name-port';
import { telemetryConflicts } from '../../src/rules/tel-003-telemetry-conflicts';
import { telemetryAccessLogNoProvider } from '../../src/rules/tel-004-access-log-no-provider';

const ISTIO = join(__dirname, '..', 'fixtures', 'istio-analyzers');

/** `Kind ns/name` (or `Kind name` for cluster-scoped objects), once per object, sorted. */
function reported(rule: MeshRule, ...files: string[]): string[] {
  const objects = files.flatMap((f) => Yaml.load(join(ISTIO, f)) as KObject[]);
  return [...new Set(check(rule, ...objects).map((h) => {
    const m = h.object.metadata ?? {};
    return h.object.kind === 'Namespace' ? `Namespace ${m.name}` : `${h.object.kind} ${m.namespace ?? 'default'}/${m.name}`;
  }))].sort();
}

describe('parity with istioctl analyze on its own test data', () => {
  test.each([
    ['destinationrule-simple-destination.yaml', ['DestinationRule default/db-tls']],
    ['destinationrule-mutual-destination.yaml', ['DestinationRule default/db-mtls']],
    ['destinationrule-simple-port.yaml', ['DestinationRule default/db-tls']],
    ['destinationrule-simple-destination-credentialname.yaml', ['DestinationRule default/db-tls']],
    ['destinationrule-simple-destination-credentialname-selector.yaml', []],
    ['destinationrule-simple-port-credentialname.yaml', ['DestinationRule default/db-tls']],
    ['destinationrule-simple-port-credentialname-selector.yaml', []],
    ['destinationrule-mutual-port.yaml', ['DestinationRule default/db-mtls']],
    ['destinationrule-compound-simple-mutual.yaml', ['DestinationRule default/db-mtls']],
  ])('IST0128/IST0129 MESH-DR-003 (warning): %s', (file, expected) => {
    expect(reported(drTlsWithoutCa, file).map((r) => r.replace(/ [^/]+\//, ' default/'))).toEqual(expected);
  });

  test('IST0128/IST0129: both levels of one DestinationRule are reported', () => {
    const objects = Yaml.load(join(ISTIO, 'destinationrule-compound-simple-mutual.yaml')) as KObject[];
    expect(check(drTlsWithoutCa, ...objects).map((h) => h.location)).toEqual(['/spec/trafficPolicy/tls', '/spec/trafficPolicy/portLevelSettings/0/tls']);
    expect(drTlsWithoutCa.level).toBe('warning');
  });

  test('IST0123 MESH-INJ-002 (warning): injection.yaml', () => {
    expect(reported(namespaceInjectionLabels, 'injection.yaml')).toEqual(['Namespace busted', 'Namespace multi-ns-1', 'Namespace multi-ns-2', 'Namespace multi-ns-3']);
    expect(namespaceInjectionLabels.level).toBe('warning');
  });

  test('IST0159/IST0160 MESH-TEL-003 (error): telemetry-selector.yaml and telemetry-default-selector.yaml', () => {
    expect(reported(telemetryConflicts, 'telemetry-selector.yaml')).toEqual([
      'Telemetry default/dupe-1', 'Telemetry default/dupe-2', 'Telemetry default/overlap-1', 'Telemetry default/overlap-2',
    ]);
    expect(reported(telemetryConflicts, 'telemetry-default-selector.yaml')).toEqual(['Telemetry ns2/has-conflict-1', 'Telemetry ns2/has-conflict-2']);
    expect(telemetryConflicts.level).toBe('error');
  });

  test('IST0157 MESH-TEL-004 (warning): telemetry-invalid-provider.yaml, telemetry-disable-provider.yaml', () => {
    expect(reported(telemetryAccessLogNoProvider, 'telemetry-invalid-provider.yaml')).toEqual(['Telemetry istio-system/mesh-default']);
    expect(reported(telemetryAccessLogNoProvider, 'telemetry-disable-provider.yaml')).toEqual([]);
    expect(telemetryAccessLogNoProvider.level).toBe('warning');
  });
});

describe('compliant shapes the analyzers would not see as conflicts', () => {
  const tel = (name: string, spec: any, ns = 'shop'): KObject => ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name, namespace: ns }, spec });
  test('MESH-TEL-003: a namespace-wide Telemetry beside gateway ones (targetRefs), and in different namespaces', () => {
    expect(check(telemetryConflicts,
      tel('default', { tracing: [{ randomSamplingPercentage: 1 }] }),
      tel('edge', { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'edge' }], accessLogging: [{ providers: [{ name: 'envoy' }] }] }),
      tel('default', { tracing: [{ randomSamplingPercentage: 1 }] }, 'pay'))).toEqual([]);
  });
  test('MESH-INJ-002: one label, or istio-injection=disabled beside a revision (the analyzer ignores it)', () => {
    const ns = (name: string, labels: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    expect(check(namespaceInjectionLabels, ns('a', { 'istio.io/rev': 'canary' }), ns('b', { 'istio-injection': 'disabled', 'istio.io/rev': 'canary' }))).toEqual([]);
  });
});

describe('parity, continued', () => {
  test('IST0150 MESH-SVC-002 (warning): incorrect- and correct-port-name-external-name-service-type.yaml', () => {
    expect(reported(externalNamePortName, 'incorrect-port-name-external-name-service-type.yaml')).toEqual([
      'Service nginx-ns/nginx', 'Service nginx-ns2/nginx-svc2', 'Service nginx-ns3/nginx-svc3',
    ]);
    expect(reported(externalNamePortName, 'correct-port-name-external-name-service-type.yaml')).toEqual([]);
    expect(externalNamePortName.level).toBe('warning');
  });

  test('IST0146/IST0147 MESH-POD-003 (error): image-auto.yaml, judged before apply', () => {
    const objects = Yaml.load(join(ISTIO, 'image-auto.yaml')) as KObject[];
    // The analyzer reads live objects: a running Pod with `image: auto` was not injected (IST0147),
    // and a Namespace it cannot find has no labels. Before apply, a Pod manifest is injected when it
    // is created, and a Namespace that is not in the app may be labelled elsewhere: both are not
    // judged. With the Deployment's Namespace in the app (unlabelled), the analyzer's IST0146 is ours.
    expect(check(podImageAuto, ...objects)).toEqual([]);
    const ns: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'not-injected' } };
    expect(check(podImageAuto, ...objects, ns).map((h) => `${h.object.kind} ${h.object.metadata?.namespace}/${h.object.metadata?.name} ${h.location}`))
      .toEqual(['Deployment not-injected/non-injected-gateway-deployment /spec/template/spec/containers/0/image']);
    // Injected by its namespace label: the placeholder is replaced, no finding.
    const injected: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'not-injected', labels: { 'istio-injection': 'enabled' } } };
    expect(check(podImageAuto, ...objects, injected)).toEqual([]);
    expect(podImageAuto.level).toBe('error');
  });
});
