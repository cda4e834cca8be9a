import { k8s } from 'cdk8s-plus-27';
import { DisruptionBudget } from '../src';
import { chart, expectMeshError } from './util';

describe('DisruptionBudget', () => {
  test('factories say what they hold', () => {
    expect(DisruptionBudget.defaults()).toMatchObject({ enabled: true, maxUnavailablePods: 1, minAvailablePods: undefined });
    expect(DisruptionBudget.maxUnavailable(3)).toMatchObject({ enabled: true, maxUnavailablePods: 3 });
    expect(DisruptionBudget.minAvailable(2)).toMatchObject({ enabled: true, minAvailablePods: 2, maxUnavailablePods: undefined });
    expect(DisruptionBudget.none().enabled).toBe(false);
  });

  test('renders one of maxUnavailable / minAvailable, the selector and AlwaysAllow', () => {
    const labels = { app: 'checkout', version: 'v1' };
    expect(k8s.toJson_PodDisruptionBudgetSpec(DisruptionBudget.defaults()._render(labels))).toEqual({
      maxUnavailable: 1, selector: { matchLabels: labels }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    const min = k8s.toJson_PodDisruptionBudgetSpec(DisruptionBudget.minAvailable(2)._render(labels))!;
    expect(min.minAvailable).toBe(2);
    expect(min.maxUnavailable).toBeUndefined();
  });

  describe('_check, for a version with a given number of replicas', () => {
    const { chart: c } = chart();
    test('accepts 1 to replicas-1', () => {
      for (let n = 1; n < 5; n++) {
        DisruptionBudget.maxUnavailable(n)._check(c, 'disruptionBudget', 5);
        DisruptionBudget.minAvailable(n)._check(c, 'disruptionBudget', 5);
      }
    });
    test('does not judge versions that get no budget (0 or 1 replica) or none()', () => {
      DisruptionBudget.maxUnavailable(9)._check(c, 'disruptionBudget', 1);
      DisruptionBudget.minAvailable(0)._check(c, 'disruptionBudget', 0);
      DisruptionBudget.none()._check(c, 'disruptionBudget', 2);
    });
    test('fails when the number is not a whole number from 1', () => {
      expectMeshError(() => DisruptionBudget.maxUnavailable(1.5)._check(c, 'disruptionBudget', 3), 'test', /disruptionBudget.maxUnavailable must be a whole number from 1.*got 1.5/);
      expectMeshError(() => DisruptionBudget.minAvailable(0)._check(c, 'disruptionBudget', 3), 'test', /disruptionBudget.minAvailable must be a whole number from 1.*got 0/);
      expectMeshError(() => DisruptionBudget.minAvailable('1' as any)._check(c, 'disruptionBudget', 3), 'test', /minAvailable must be a whole number.*got "1"/);
    });
    test('fails when it reaches the replicas', () => {
      expectMeshError(() => DisruptionBudget.maxUnavailable(3)._check(c, 'disruptionBudget', 3), 'test', /maxUnavailable must be below the version's 3 replicas.*got 3: set it to 2 or less/);
      expectMeshError(() => DisruptionBudget.minAvailable(4)._check(c, 'disruptionBudget', 3), 'test', /minAvailable must be below the version's 3 replicas.*node drains would hang, got 4/);
    });
  });
});
