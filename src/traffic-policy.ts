import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './private/errors';
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
   * Most TCP connections one calling proxy opens to the host, summed over its workers
   * (`connectionPool.tcp.maxConnections`). It bounds what one caller opens, not what the host
   * receives from all callers together.
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

  /** Most connections one calling proxy opens to the host. */
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
    const p = this.props;
    positiveInt(scope, `${prop}.maxConnections`, this.maxConnections);
    positiveInt(scope, `${prop}.maxPendingRequests`, p.maxPendingRequests);
    positiveInt(scope, `${prop}.maxRequests`, p.maxRequests);
    positiveInt(scope, `${prop}.maxRequestsPerConnection`, p.maxRequestsPerConnection);
    positiveInt(scope, `${prop}.consecutive5xxErrors`, p.consecutive5xxErrors);
    if (p.maxEjectionPercent !== undefined && (!Number.isInteger(p.maxEjectionPercent) || p.maxEjectionPercent < 0 || p.maxEjectionPercent > 100)) {
      fail(scope, `${prop}.maxEjectionPercent`, p.maxEjectionPercent, 'must be a whole percentage from 0 to 100', 'set maxEjectionPercent: 50 (the default)');
    }
    for (const key of ['idleTimeout', 'tcpKeepaliveTime', 'tcpKeepaliveInterval', 'maxConnectionDuration', 'interval', 'baseEjectionTime'] as const) {
      const d = p[key];
      if (d !== undefined && !(d.toMilliseconds() >= 1)) {
        fail(scope, `${prop}.${key}`, `${d.toMilliseconds()}ms`, 'must be at least 1 millisecond (Istio rejects shorter durations)', `set ${key} to Duration.seconds(...)`);
      }
    }
  }

  /** The DestinationRule `trafficPolicy`. @internal */
  public _render(): DestinationRuleSpecTrafficPolicy {
    const p = this.props;
    const http = compact({
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
        tcp: compact({
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

function positiveInt(scope: IConstruct, prop: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1)) {
    fail(scope, prop, value, 'must be a whole number from 1 to 2147483647', `set ${prop.split('.').pop()} to a positive whole number, or leave it unset for the default`);
  }
}

/** Drops undefined members; returns undefined for an empty object (Istio rejects empty pools). @internal */
export function compact<T extends object>(obj: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length ? out as T : undefined;
}
