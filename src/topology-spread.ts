import { IConstruct } from 'constructs';
import { checkBoolean, checkEnum, checkInt, checkObject, INT32_MAX } from './private/checks';

/** What the scheduler does with a pod it cannot place within the skew (`whenUnsatisfiable`). */
export enum WhenUnsatisfiable {
  /**
   * Prefer the spread, place the pod anyway: small and single-zone clusters still schedule,
   * and a rollout or a drain is never blocked by the spread.
   */
  SCHEDULE_ANYWAY = 'ScheduleAnyway',
  /**
   * Leave the pod Pending rather than exceed the skew. Nodes without the topology label are not
   * candidates, and tainted nodes still count as domains (Kubernetes' default `nodeTaintsPolicy: Ignore`),
   * so this can leave pods Pending on clusters that look big enough.
   */
  DO_NOT_SCHEDULE = 'DoNotSchedule',
}

/** Props for `TopologySpread.of`. */
export interface TopologySpreadProps {
  /**
   * Spread each version's pods across zones (`topology.kubernetes.io/zone`): a zone outage
   * then takes only its share of the pods.
   *
   * @default true
   */
  readonly zones?: boolean;

  /**
   * Spread each version's pods across nodes (`kubernetes.io/hostname`): a node drain or crash
   * then takes one pod, not all of them.
   *
   * @default true
   */
  readonly nodes?: boolean;

  /**
   * Most pods one zone (or node) may have above the emptiest one.
   *
   * @default 1
   */
  readonly maxSkew?: number;

  /**
   * What the scheduler does when the spread cannot be kept.
   *
   * @default WhenUnsatisfiable.SCHEDULE_ANYWAY - a preference, so single-zone and one-node clusters still
   * schedule; Kubernetes' own default for a constraint is `DoNotSchedule`
   */
  readonly whenUnsatisfiable?: WhenUnsatisfiable;
}

/**
 * Where a version's pods are placed: `topologySpreadConstraints` on its pod template, each
 * selecting exactly that version's pods (`app` and `version`).
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export class TopologySpread {
  /** The library's default: across zones and across nodes, skew 1, `ScheduleAnyway`. */
  public static defaults(): TopologySpread {
    return new TopologySpread({});
  }

  /** A spread with the given settings; anything unset keeps the library's default. */
  public static of(props: TopologySpreadProps): TopologySpread {
    return new TopologySpread(props);
  }

  /** No topology spread constraints (the scheduler's default placement). */
  public static none(): TopologySpread {
    return new TopologySpread({ zones: false, nodes: false });
  }

  /** Whether pods are spread across zones. */
  public readonly zones: boolean;
  /** Whether pods are spread across nodes. */
  public readonly nodes: boolean;
  /** Most pods one domain may have above the emptiest one. */
  public readonly maxSkew: number;
  /** What the scheduler does when the spread cannot be kept. */
  public readonly whenUnsatisfiable: WhenUnsatisfiable;

  private readonly props: TopologySpreadProps;

  private constructor(props: TopologySpreadProps) {
    props = props ?? {}; // jsii callers may pass null
    this.props = props;
    this.zones = props.zones ?? true;
    this.nodes = props.nodes ?? true;
    this.maxSkew = props.maxSkew ?? 1;
    this.whenUnsatisfiable = props.whenUnsatisfiable ?? WhenUnsatisfiable.SCHEDULE_ANYWAY;
  }

  /** Checks the spread on behalf of the construct that uses it. @internal */
  public _check(scope: IConstruct, prop: string): void {
    checkObject(scope, prop, this.props, 'TopologySpread.of({ maxSkew: 1 })');
    checkBoolean(scope, `${prop}.zones`, this.zones, 'set zones: true (the default) or false');
    checkBoolean(scope, `${prop}.nodes`, this.nodes, 'set nodes: true (the default) or false');
    checkInt(scope, `${prop}.maxSkew`, this.maxSkew, 1, INT32_MAX, 'set maxSkew: 1 (the default) or more');
    checkEnum(scope, `${prop}.whenUnsatisfiable`, this.whenUnsatisfiable, WhenUnsatisfiable, 'WhenUnsatisfiable');
  }

  /** The pod spec's `topologySpreadConstraints` for pods carrying `labels`. @internal */
  public _render(labels: Record<string, string>): Array<Record<string, unknown>> {
    const keys = [...(this.zones ? [ZONE] : []), ...(this.nodes ? [HOSTNAME] : [])];
    return keys.map((topologyKey) => ({
      labelSelector: { matchLabels: { ...labels } },
      maxSkew: this.maxSkew,
      topologyKey,
      whenUnsatisfiable: this.whenUnsatisfiable,
    }));
  }
}

// Well-known node labels (kubernetes.io/docs/reference/labels-annotations-taints), set by the
// kubelet (hostname) and the cloud provider (zone).
const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';
