import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkDuration, checkInt } from './private/checks';
import { fail } from './private/errors';
import { istioDuration } from './private/units';
import { VirtualServiceSpecHttpRetries } from '../imports/networking.istio.io';

/**
 * Retries for HTTP requests to a service (VirtualService `http[].retries`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface RetryPolicyProps {
  /**
   * Retries per request (not counting the first try). `0` turns retries off.
   */
  readonly attempts: number;

  /**
   * Timeout of each try.
   *
   * @default - the route's timeout
   */
  readonly perTryTimeout?: Duration;

  /**
   * Conditions that trigger a retry (Envoy `retry_on` values).
   *
   * @default - Istio's default: connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes
   */
  readonly retryOn?: string[];
}

/** A retry policy for a service's HTTP routes. */
export class RetryPolicy {
  /** Retries with the given settings. */
  public static of(props: RetryPolicyProps): RetryPolicy {
    return new RetryPolicy(props);
  }

  /** No retries at all (for non-idempotent services). */
  public static none(): RetryPolicy {
    return new RetryPolicy({ attempts: 0 });
  }

  private constructor(private readonly props: RetryPolicyProps) {}

  /** @internal */
  public _check(scope: IConstruct, prop: string): void {
    checkInt(scope, `${prop}.attempts`, this.props.attempts, 0, 100, 'set attempts: 2 (Istio\'s default) or 0 to turn retries off');
    checkDuration(scope, `${prop}.perTryTimeout`, this.props.perTryTimeout, 'set perTryTimeout to Duration.seconds(...)');
    for (const cond of this.props.retryOn ?? []) {
      if (!/^[a-z0-9-]+$/.test(cond)) {
        fail(scope, `${prop}.retryOn`, cond, 'must be Envoy retry conditions or status codes, one per entry', 'use values like "connect-failure" or "503"');
      }
    }
  }

  /** @internal */
  public _render(): VirtualServiceSpecHttpRetries {
    const p = this.props;
    return {
      attempts: p.attempts,
      perTryTimeout: p.perTryTimeout && istioDuration(p.perTryTimeout),
      retryOn: p.retryOn && p.retryOn.length ? p.retryOn.join(',') : undefined,
    };
  }
}
