import { check, deployment, lines } from './objects';
import { injectOnWorkloadMetadata } from '../../src/rules/inj-001-on-workload-metadata';

describe('MESH-INJ-001 inject-on-workload-metadata', () => {
  test('passes the label on the pod template', () => {
    expect(check(injectOnWorkloadMetadata, deployment('checkout'))).toEqual([]);
  });

  test('fails on the annotation (or label) on the Deployment itself', () => {
    const hits = check(injectOnWorkloadMetadata, deployment('legacy', { ownAnnotations: { 'sidecar.istio.io/inject': 'true' }, ownLabels: { 'sidecar.istio.io/inject': 'false' } }));
    expect(lines(hits)).toEqual([
      'Deployment/shop/legacy /metadata/annotations/sidecar.istio.io~1inject: sidecar.istio.io/inject: "true" is set as an annotation on the Deployment itself, where the injector never reads it',
      'Deployment/shop/legacy /metadata/labels/sidecar.istio.io~1inject: sidecar.istio.io/inject: "false" is set as a label on the Deployment itself, where the injector never reads it',
    ]);
  });
});
