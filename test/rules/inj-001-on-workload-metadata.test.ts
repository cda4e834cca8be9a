import { check, deployment, lines } from './objects';
import { injectOnWorkloadMetadata } from '../../src/rules/inj-001-on-workload-metadata';

describe('MESH-INJ-001 inject-on-workload-metadata', () => {
  test('level is warning (nothing rejects it; the pods follow their template and namespace)', () => expect(injectOnWorkloadMetadata.level).toBe('warning'));

  test('passes the label on the pod template', () => {
    expect(check(injectOnWorkloadMetadata, deployment('checkout'))).toEqual([]);
  });

  test('passes the label on both the Deployment and its pod template, with the same value', () => {
    expect(check(injectOnWorkloadMetadata, deployment('checkout', { ownLabels: { 'sidecar.istio.io/inject': 'true' } }))).toEqual([]);
  });

  test('warns when the Deployment says otherwise than its pod template', () => {
    expect(lines(check(injectOnWorkloadMetadata, deployment('checkout', { ownLabels: { 'sidecar.istio.io/inject': 'false' } })))).toEqual([
      'Deployment/shop/checkout /metadata/labels/sidecar.istio.io~1inject: sidecar.istio.io/inject: "false" is set as a label on the Deployment itself, where the injector never reads it (its pod template says "true")',
    ]);
  });

  test('fails on the annotation (or label) on the Deployment itself', () => {
    const hits = check(injectOnWorkloadMetadata, deployment('legacy', { labels: { app: 'legacy' }, ownAnnotations: { 'sidecar.istio.io/inject': 'true' }, ownLabels: { 'sidecar.istio.io/inject': 'false' } }));
    expect(lines(hits)).toEqual([
      'Deployment/shop/legacy /metadata/annotations/sidecar.istio.io~1inject: sidecar.istio.io/inject: "true" is set as an annotation on the Deployment itself, where the injector never reads it',
      'Deployment/shop/legacy /metadata/labels/sidecar.istio.io~1inject: sidecar.istio.io/inject: "false" is set as a label on the Deployment itself, where the injector never reads it',
    ]);
  });
});
