import { check, istioOperator, lines } from './objects';
import { cpHaOnlyThroughPatches } from '../../src/rules/cp-003-ha-only-through-patches';

describe('MESH-CP-003 cp-ha-only-through-patches', () => {
  test('is a warning', () => {
    expect(cpHaOnlyThroughPatches.level).toBe('warning');
  });

  test('passes replica counts carried in values, for istiod and the gateway', () => {
    expect(check(cpHaOnlyThroughPatches, istioOperator({
      components: { pilot: { k8s: { podDisruptionBudget: { maxUnavailable: 1 } } }, ingressGateways: [{ name: 'istio-ingressgateway', enabled: true }] },
      values: {
        pilot: { autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 },
        gateways: { 'istio-ingressgateway': { autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 } },
      },
    }))).toEqual([]);
  });

  test('passes an operator that asks for one replica, or says nothing', () => {
    expect(check(cpHaOnlyThroughPatches, istioOperator({ profile: 'default' }))).toEqual([]);
    expect(check(cpHaOnlyThroughPatches, istioOperator({ components: { pilot: { k8s: { hpaSpec: { minReplicas: 1 } } } } }))).toEqual([]);
  });

  test('warns on HA only through k8s.hpaSpec (what istioctl docs show), for istiod and each gateway', () => {
    const io = istioOperator({
      components: {
        pilot: { k8s: { hpaSpec: { minReplicas: 2, maxReplicas: 5 } } },
        ingressGateways: [{ name: 'istio-ingressgateway', enabled: true, k8s: { hpaSpec: { minReplicas: 3 } } }],
      },
    });
    expect(lines(check(cpHaOnlyThroughPatches, io))).toEqual([
      'IstioOperator/istio-system/control-plane /spec/components/pilot/k8s: istiod: asks for 2 replicas only through k8s.hpaSpec.minReplicas, while values.pilot.autoscaleMin is 1: Istio 1.28+ renders no PodDisruptionBudget',
      'IstioOperator/istio-system/control-plane /spec/components/ingressGateways/0/k8s: gateway istio-ingressgateway: asks for 3 replicas only through k8s.hpaSpec.minReplicas, while values.gateways.istio-ingressgateway.autoscaleMin is 1: Istio 1.28+ renders no PodDisruptionBudget',
    ]);
    expect(check(cpHaOnlyThroughPatches, io)[0].fix).toBe('set values.pilot.autoscaleMin: 2 (and values.pilot.autoscaleMax), and drop k8s.hpaSpec.minReplicas');
  });

  test('without autoscaling (demo, or autoscaleEnabled: false) it is replicaCount that counts', () => {
    const demo = istioOperator({ profile: 'demo', components: { pilot: { k8s: { replicaCount: 3 } } } });
    expect(lines(check(cpHaOnlyThroughPatches, demo))).toEqual([
      'IstioOperator/istio-system/control-plane /spec/components/pilot/k8s: istiod: asks for 3 replicas only through k8s.replicaCount, while values.pilot.replicaCount is 1: Istio 1.28+ renders no PodDisruptionBudget',
    ]);
    const off = istioOperator({
      components: { pilot: { k8s: { replicaCount: 3 } } },
      values: { pilot: { autoscaleEnabled: false, replicaCount: 3 } },
    });
    expect(check(cpHaOnlyThroughPatches, off)).toEqual([]);
  });

  test('warns on a PodDisruptionBudget patch with nothing to patch', () => {
    const io = istioOperator({ components: { pilot: { k8s: { podDisruptionBudget: { maxUnavailable: 1 } } } } });
    expect(lines(check(cpHaOnlyThroughPatches, io))).toEqual([
      'IstioOperator/istio-system/control-plane /spec/components/pilot/k8s: istiod: patches a PodDisruptionBudget (k8s.podDisruptionBudget) while values.pilot asks for 1 replica: Istio 1.28+ renders no PodDisruptionBudget to patch',
    ]);
  });

  test('skips disabled components, remote and empty profiles, and odd shapes', () => {
    const k8s = { hpaSpec: { minReplicas: 2 } };
    expect(check(cpHaOnlyThroughPatches, istioOperator({ components: { pilot: { enabled: false, k8s } } }))).toEqual([]);
    expect(check(cpHaOnlyThroughPatches, istioOperator({ profile: 'remote', components: { pilot: { k8s } } }))).toEqual([]);
    expect(check(cpHaOnlyThroughPatches, istioOperator({ profile: 'empty', components: { ingressGateways: [{ name: 'g', enabled: true, k8s }] } }))).toEqual([]);
    expect(check(cpHaOnlyThroughPatches, istioOperator({ components: { ingressGateways: [{ name: 'g', enabled: false, k8s }, null, 'x'] }, values: 'odd' }))).toEqual([]);
    expect(check(cpHaOnlyThroughPatches, istioOperator(null))).toEqual([]);
  });
});
