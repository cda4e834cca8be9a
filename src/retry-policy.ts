import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkDuration, checkInt, checkObject, checkStringList } from './private/checks';
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

/**
 * The retryOn policies istiod accepts besides HTTP status codes: `supportedRetryOnPolicies` in
 * istio/istio pkg/config/validation/validation.go, checked by `validateHTTPRetry` (a
 * comma-separated entry that is neither is refused). The policies both supported Istio lines take:
 * 1.30.3 adds reset-before-request and http3-post-connect-failure, which 1.22.8 refuses.
 */
const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'connect-failure', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

/** HTTP status codes Go's net/http knows (`http.StatusText(i) != ""`), which validateHTTPRetry accepts. */
const HTTP_STATUS = new Set([100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
  500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511]);

function isRetryOn(cond: string): boolean {
  if (RETRY_ON.has(cond)) return true;
  // strconv.Atoi: an optional sign and decimal digits
  return /^[+-]?[0-9]+$/.test(cond) && HTTP_STATUS.has(Number(cond));
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
    const p = checkObject(scope, prop, this.props, 'RetryPolicy.of({ attempts: 2 })');
    checkInt(scope, `${prop}.attempts`, p.attempts, 0, 100, 'set attempts: 2 (Istio\'s default) or 0 to turn retries off');
    checkDuration(scope, `${prop}.perTryTimeout`, p.perTryTimeout, 'set perTryTimeout to Duration.seconds(...)');
    const retryOn = checkStringList(scope, `${prop}.retryOn`, p.retryOn, 'write retryOn: ["connect-failure", "503"]');
    for (const cond of retryOn ?? []) {
      if (!isRetryOn(cond)) {
        fail(scope, `${prop}.retryOn`, cond, `is not a retryOn policy istiod accepts (${[...RETRY_ON].join(', ')}, or an HTTP status code)`,
          'use one of those, one per entry, e.g. ["connect-failure", "503"]');
      }
    }
    // validateHTTPRetry: "http retry policy configured when attempts are set to 0 (disabled)".
    if (p.attempts === 0 && (p.perTryTimeout !== undefined || retryOn?.length)) {
      fail(scope, `${prop}.attempts`, 0, 'turns retries off, and istiod refuses perTryTimeout or retryOn with it', 'use RetryPolicy.none(), or set attempts: 2');
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
