import { join } from 'node:path';
import { Yaml } from 'cdk8s';
import { check, deployment, lines, namespaceObject, service } from './objects';
import { annUnknown } from '../../src/rules/ann-001-unknown-annotation';
import { annInvalid } from '../../src/rules/ann-002-invalid-annotation';
import { annDeprecated } from '../../src/rules/ann-003-deprecated-annotation';
import { ANNOTATION_VALIDATION } from '../../src/rules/ann-validate';
import { ISTIO_ANNOTATIONS } from '../../src/rules/istio-annotations';
import { KObject, MeshRule } from '../../src/rules/rule';

const misannotated = Yaml.load(join(__dirname, '..', 'fixtures', 'istio-analyzers', 'misannotated.yaml')) as KObject[];
const reported = (rule: MeshRule, objects: KObject[]) => [...new Set(check(rule, ...objects).map((h) => `${h.object.kind} ${h.object.metadata?.name}`))].sort();

describe('annotations (IST0108, IST0125, IST0135) on misannotated.yaml', () => {
  test('levels: unknown and deprecated are warnings, a value the injector rejects is an error', () => {
    expect(annUnknown.level).toBe('warning');
    expect(annInvalid.level).toBe('error');
    expect(annDeprecated.level).toBe('warning');
  });

  test('each rule reports the objects the analyzer\'s test expects for its code', () => {
    // analyzers_test.go "misannotated": UnknownAnnotation Service httpbin, InvalidAnnotation Pod
    // invalid-annotations, DeprecatedAnnotation Deployment fortio-deploy (the Ingress is not among its inputs).
    expect(reported(annUnknown, misannotated)).toEqual(['Service httpbin']);
    expect(reported(annInvalid, misannotated)).toEqual(['Pod invalid-annotations']);
    expect(reported(annDeprecated, misannotated)).toEqual(['Deployment fortio-deploy']);
    expect(lines(check(annInvalid, ...misannotated))).toEqual([
      'Pod/default/invalid-annotations /metadata/annotations/readiness.status.sidecar.istio.io~1initialDelaySeconds: readiness.status.sidecar.istio.io/initialDelaySeconds: "bar" is invalid: not an unsigned 32-bit integer',
    ]);
  });

  test('the vendored table is istio/api\'s for 1.30.3: 67 annotations, and every validated one is in it', () => {
    expect(ISTIO_ANNOTATIONS.length).toBe(67);
    const names = new Set(ISTIO_ANNOTATIONS.map(([n]) => n));
    expect(Object.keys(ANNOTATION_VALIDATION).filter((k) => !names.has(k))).toEqual([]);
  });
});

describe('on pod templates, judged as the pods they become', () => {
  const withAnno = (annotations: Record<string, string>, ns = 'shop') => deployment('checkout', { namespace: ns, annotations });

  test('a misspelt annotation on a pod template is unknown', () => {
    expect(lines(check(annUnknown, withAnno({ 'sidecar.istio.io/proxyCpu': '100m' })))).toEqual([
      'Deployment/shop/checkout /spec/template/metadata/annotations/sidecar.istio.io~1proxyCpu: sidecar.istio.io/proxyCpu is not an Istio annotation (on the pod template of Deployment/shop/checkout)',
    ]);
  });

  test.each([
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', '10.0.0.0/8, 192.168.0.0/16'],
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', '10.0.0.0'],
    ['traffic.sidecar.istio.io/excludeInboundPorts', '8080,http'],
    ['status.sidecar.istio.io/port', '70000'],
    ['sidecar.istio.io/proxyMemory', '128MB'],
    ['sidecar.istio.io/interceptionMode', 'redirect'],
    ['prometheus.istio.io/merge-metrics', 'yes'],
    ['traffic.sidecar.istio.io/excludeInterfaces', '0eth'],
    ['proxy.istio.io/config', 'concurrency: [2'],
  ])('%s: %j is rejected', (key, value) => {
    expect(check(annInvalid, withAnno({ [key]: value })).map((h) => h.location)).toEqual([`/spec/template/metadata/annotations/${key.replace(/\//g, '~1')}`]);
  });

  test.each([
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', '10.0.0.0/8,192.168.0.0/16,fd00::/8'],
    ['traffic.sidecar.istio.io/includeOutboundIPRanges', '*'],
    ['traffic.sidecar.istio.io/excludeInboundPorts', ' 8080,15020 '],
    ['sidecar.istio.io/proxyMemory', '128Mi'],
    ['sidecar.istio.io/proxyCPU', '0.5'],
    ['prometheus.istio.io/merge-metrics', 'False'],
    ['proxy.istio.io/config', '{"concurrency": 2}'],
    ['proxy.istio.io/config', 'holdApplicationUntilProxyStarts: true'],
  ])('%s: %j passes', (key, value) => {
    expect(check(annInvalid, withAnno({ [key]: value }))).toEqual([]);
  });

  test('a pod that is not injected never meets the injector: not judged', () => {
    const off = deployment('checkout', { labels: { 'app': 'checkout', 'sidecar.istio.io/inject': 'false' }, annotations: { 'sidecar.istio.io/proxyMemory': '128MB' } });
    expect(check(annInvalid, off)).toEqual([]);
    expect(check(annInvalid, deployment('checkout', { labels: { app: 'checkout' }, annotations: { 'sidecar.istio.io/proxyMemory': '128MB' } }), namespaceObject('shop'))).toEqual([]);
  });

  test('the inject annotation is deprecated on a pod template without the label, not beside it', () => {
    const annoOnly = deployment('checkout', { labels: { app: 'checkout' }, annotations: { 'sidecar.istio.io/inject': 'true' } });
    expect(lines(check(annDeprecated, annoOnly))).toEqual([
      'Deployment/shop/checkout /spec/template/metadata/annotations/sidecar.istio.io~1inject: sidecar.istio.io/inject is deprecated in favor of the "sidecar.istio.io/inject" label (on the pod template of Deployment/shop/checkout)',
    ]);
    expect(check(annDeprecated, deployment('checkout', { annotations: { 'sidecar.istio.io/inject': 'true' } }))).toEqual([]);
  });

  test('non-Istio and always-ignored annotations, and Services\' known ones, pass', () => {
    const svc: KObject = { ...service('checkout'), metadata: { name: 'checkout', namespace: 'shop', annotations: { 'networking.istio.io/exportTo': '.', 'kubernetes.io/psp': 'x' } } };
    const objs = [svc, withAnno({ 'istio.io/rev': 'canary', 'sidecar.istio.io/status': '{}', 'helm.sh/hook': 'test' })];
    for (const r of [annUnknown, annInvalid, annDeprecated]) expect(check(r, ...objs)).toEqual([]);
  });
});
