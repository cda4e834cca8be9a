import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkBoolean, checkCount, checkDuration, checkInt, checkObject } from './private/checks';
import { prune } from './private/json';
import { istioDuration } from './private/units';
import { DestinationRuleSpecTrafficPolicy } from '../imports/networking.istio.io';

/**
 * Connection pool, keep-alive and outlier detection for calls to one host
 * (DestinationRule `trafficPolicy`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
export interface TrafficPolicyProps {
  /**
   * Most TCP connections one calling proxy opens to one Envoy cluster of the host, summed over
   * its workers (`connectionPool.tcp.maxConnections`). Per cluster: each port and each subset
   * (version) is its own cluster with its own limit, so a caller of a canaried service may open
   * it once per version. Soft: Envoy keeps at least one connection per host per pool (a pool
   * per worker) past it, up to `maxConnections + endpoints × workers` (Envoy docs,
   * `intro/arch_overview/upstream/circuit_breaking`). It bounds what one caller opens, not what
   * the host receives from all callers together.
   *
   * @default 1024 - Envoy's own circuit-breaker default; Istio's is 2^32-1, which bounds nothing
   */
  readonly maxConnections?: number;

  /**
   * Requests queued while waiting for a connection (`connectionPool.http.http1MaxPendingRequests`).
   *
   * @default - Istio's default (2^32-1); not emitted
   */
  readonly maxPendingRequests?: number;

  /**
   * Concurrent requests to the host (`connectionPool.http.http2MaxRequests`).
   *
   * @default - Istio's default (2^32-1); not emitted
   */
  readonly maxRequests?: number;

  /**
   * Requests per connection before it is closed (`connectionPool.http.maxRequestsPerConnection`).
   * Low values defeat keep-alive: every new connection costs a TCP and an mTLS handshake.
   *
   * @default - unlimited (Istio's default): connections are reused
   */
  readonly maxRequestsPerConnection?: number;

  /**
   * Close an HTTP connection after this long without requests (`connectionPool.http.idleTimeout`).
   *
   * @default - Istio's default of 1 hour; not emitted
   */
  readonly idleTimeout?: Duration;

  /**
   * TCP keep-alive probes on idle connections (`connectionPool.tcp.tcpKeepalive.time`), so
   * connections silently dropped by a NAT or load balancer are found before a request uses them.
   *
   * @default Duration.minutes(5) - below the 350 s idle timeout of common cloud NATs and load balancers
   */
  readonly tcpKeepaliveTime?: Duration;

  /**
   * Time between keep-alive probes (`connectionPool.tcp.tcpKeepalive.interval`).
   *
   * @default Duration.seconds(75) - the Linux default
   */
  readonly tcpKeepaliveInterval?: Duration;

  /**
   * Longest life of an upstream connection (`connectionPool.tcp.maxConnectionDuration`).
   *
   * @default - unlimited (Istio's default); not emitted
   */
  readonly maxConnectionDuration?: Duration;

  /**
   * Turn outlier detection (passive health checking) on.
   *
   * @default true - Istio leaves it off unless configured: a failing pod keeps its share of traffic
   */
  readonly outlierDetection?: boolean;

  /**
   * Consecutive 5xx responses (or connection failures) before a pod is ejected
   * (`outlierDetection.consecutive5xxErrors`).
   *
   * @default 5
   */
  readonly consecutive5xxErrors?: number;

  /**
   * How often hosts are scanned for ejection (`outlierDetection.interval`).
   *
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;

  /**
   * Minimum ejection time, multiplied by the number of ejections (`outlierDetection.baseEjectionTime`).
   *
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;

  /**
   * Most pods ejected at once, in percent (`outlierDetection.maxEjectionPercent`).
   *
   * @default 50 - Istio's 10% rounds down to no ejection at all for services with fewer than 10 pods
   */
  readonly maxEjectionPercent?: number;
}

/**
 * Traffic policy for a host: bounded connection pools, keep-alive that survives NATs, and
 * outlier detection on by default.
 */
export class TrafficPolicy {
  /** The library's defaults. */
  public static defaults(): TrafficPolicy {
    return new TrafficPolicy({});
  }

  /** A policy with the given settings; anything unset keeps the library's default. */
  public static of(props: TrafficPolicyProps): TrafficPolicy {
    return new TrafficPolicy(props);
  }

  /** Most connections one calling proxy opens to one cluster (port, subset) of the host, soft. */
  public readonly maxConnections: number;
  /** Requests per connection, if limited. */
  public readonly maxRequestsPerConnection?: number;

  private readonly props: TrafficPolicyProps;

  private constructor(props: TrafficPolicyProps) {
    this.props = props ?? {}; // jsii callers may pass null
    this.maxConnections = this.props.maxConnections ?? 1024;
    this.maxRequestsPerConnection = this.props.maxRequestsPerConnection;
  }

  /** @internal */
  public _check(scope: IConstruct, prop: string): void {
    const p = checkObject(scope, prop, this.props, 'TrafficPolicy.of({ maxConnections: 100 })');
    if (p.outlierDetection !== undefined) checkBoolean(scope, `${prop}.outlierDetection`, p.outlierDetection, 'set outlierDetection: true (the default) or false');
    const counts = {
      maxConnections: this.maxConnections,
      maxPendingRequests: p.maxPendingRequests,
      maxRequests: p.maxRequests,
      maxRequestsPerConnection: p.maxRequestsPerConnection,
      consecutive5xxErrors: p.consecutive5xxErrors,
    };
    for (const [key, value] of Object.entries(counts)) {
      checkCount(scope, `${prop}.${key}`, value, `set ${key} to a positive whole number, or leave it unset for the default`);
    }
    if (p.maxEjectionPercent !== undefined) {
      checkInt(scope, `${prop}.maxEjectionPercent`, p.maxEjectionPercent, 0, 100, 'set maxEjectionPercent: 50 (the default)');
    }
    for (const key of ['idleTimeout', 'tcpKeepaliveTime', 'tcpKeepaliveInterval', 'maxConnectionDuration', 'interval', 'baseEjectionTime'] as const) {
      checkDuration(scope, `${prop}.${key}`, p[key], `set ${key} to Duration.seconds(...)`);
    }
  }

  /** The DestinationRule `trafficPolicy`. @internal */
  public _render(): DestinationRuleSpecTrafficPolicy {
    const p = this.props;
    const http = prune({
      http1MaxPendingRequests: p.maxPendingRequests,
      http2MaxRequests: p.maxRequests,
      maxRequestsPerConnection: p.maxRequestsPerConnection,
      idleTimeout: p.idleTimeout && istioDuration(p.idleTimeout),
    });
    const outlier = (p.outlierDetection ?? true) ? {
      consecutive5xxErrors: p.consecutive5xxErrors ?? 5,
      interval: istioDuration(p.interval ?? Duration.seconds(10)),
      baseEjectionTime: istioDuration(p.baseEjectionTime ?? Duration.seconds(30)),
      maxEjectionPercent: p.maxEjectionPercent ?? 50,
    } : undefined;
    return {
      connectionPool: {
        tcp: prune({
          maxConnections: this.maxConnections,
          maxConnectionDuration: p.maxConnectionDuration && istioDuration(p.maxConnectionDuration),
          tcpKeepalive: {
            time: istioDuration(p.tcpKeepaliveTime ?? Duration.minutes(5)),
            interval: istioDuration(p.tcpKeepaliveInterval ?? Duration.seconds(75)),
          },
        }),
        http,
      },
      outlierDetection: outlier,
    };
  }
}
