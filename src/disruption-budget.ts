import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { checkInt, INT32_MAX } from './private/checks';
import { fail } from './private/errors';

/**
 * How many pods of one version voluntary disruptions (node drains, cluster upgrades, the
 * autoscaler) may take down at once: a policy/v1 PodDisruptionBudget selecting exactly the
 * pods of that version's Deployment.
 *
 * A MeshedService writes one per version with 2 or more replicas. A version with 0 or 1
 * replica gets none: with one pod, a budget either blocks every drain (`maxUnavailable: 0`,
 * `minAvailable: 1`) or protects nothing. Give a canary 2 replicas to protect it.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/
 */
export class DisruptionBudget {
  /** The library's default: at most one pod of each version down at a time, at any scale. */
  public static defaults(): DisruptionBudget {
    return new DisruptionBudget(true, 1, undefined);
  }

  /**
   * At most `pods` pods of each version down at a time (`maxUnavailable`). Follows the
   * Deployment when it is scaled, unlike `minAvailable`.
   *
   * @param pods 1 or more, and below the version's replicas
   */
  public static maxUnavailable(pods: number): DisruptionBudget {
    return new DisruptionBudget(true, pods, undefined);
  }

  /**
   * At least `pods` pods of each version kept up (`minAvailable`).
   *
   * @param pods 1 or more, and below the version's replicas (as many as the replicas would block every drain)
   */
  public static minAvailable(pods: number): DisruptionBudget {
    return new DisruptionBudget(true, undefined, pods);
  }

  /** No PodDisruptionBudget (e.g. you write your own; two budgets over one pod make evictions fail). */
  public static none(): DisruptionBudget {
    return new DisruptionBudget(false, undefined, undefined);
  }

  /** Whether a PodDisruptionBudget is written. */
  public readonly enabled: boolean;
  /** Pods of a version that may be down at once, if the budget is set that way. */
  public readonly maxUnavailablePods?: number;
  /** Pods of a version kept up, if the budget is set that way. */
  public readonly minAvailablePods?: number;

  private constructor(enabled: boolean, maxUnavailable: number | undefined, minAvailable: number | undefined) {
    this.enabled = enabled;
    this.maxUnavailablePods = maxUnavailable;
    this.minAvailablePods = minAvailable;
  }

  /**
   * Checks the budget for a version with `replicas` pods, on behalf of the construct that uses
   * it (errors name that construct and prop).
   * @internal
   */
  public _check(scope: IConstruct, prop: string, replicas: number): void {
    if (!this.enabled || replicas < 2) return;
    const [field, value] = this.maxUnavailablePods !== undefined
      ? ['maxUnavailable', this.maxUnavailablePods] as const
      : ['minAvailable', this.minAvailablePods] as const;
    checkInt(scope, `${prop}.${field}`, value as number, 1, INT32_MAX,
      field === 'maxUnavailable'
        ? 'let at least one pod go at a time (0 blocks every node drain): DisruptionBudget.maxUnavailable(1)'
        : 'keep at least one pod up: DisruptionBudget.minAvailable(1), or DisruptionBudget.none() for no budget');
    if (value! >= replicas) {
      fail(scope, `${prop}.${field}`, value, field === 'maxUnavailable'
        ? `must be below the version's ${replicas} replicas: a drain could evict every pod at once`
        : `must be below the version's ${replicas} replicas: no pod could ever be evicted and node drains would hang`,
      `set it to ${replicas - 1} or less, raise replicas, or use DisruptionBudget.none()`);
    }
  }

  /**
   * The PodDisruptionBudget spec for the pods carrying `labels`. Unhealthy pods may always be
   * evicted (`AlwaysAllow`: beta and on by default from Kubernetes 1.27, GA in 1.31), so a
   * crash-looping pod never blocks a node drain. @internal
   */
  public _render(labels: Record<string, string>): k8s.PodDisruptionBudgetSpec {
    const n = (v: number | undefined) => (v === undefined ? undefined : k8s.IntOrString.fromNumber(v));
    return {
      maxUnavailable: n(this.maxUnavailablePods),
      minAvailable: n(this.minAvailablePods),
      selector: { matchLabels: { ...labels } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    };
  }
}
