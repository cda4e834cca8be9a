import { check, goodOperator, istioOperator, lines } from './objects';
import { cpIstiodHa } from '../../src/rules/cp-001-istiod-ha';

describe('MESH-CP-001 cp-istiod-ha', () => {
  test('passes two replicas at minimum with anti-affinity', () => {
    expect(check(cpIstiodHa, goodOperator())).toEqual([]);
  });

  test('warns on Istio\'s defaults: one replica, no anti-affinity', () => {
    expect(lines(check(cpIstiodHa, istioOperator({ profile: 'default' })))).toEqual([
      'IstioOperator/istio-system/control-plane /spec/components/pilot/k8s: istiod runs 1 replica at minimum',
      'IstioOperator/istio-system/control-plane /spec/components/pilot/k8s/affinity: istiod has no pod anti-affinity: its replicas may share one node',
    ]);
  });
});
