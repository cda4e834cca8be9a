import { IConstruct } from 'constructs';
import { fail, show } from './private/errors';
import { checkRe2 } from './private/re2';
import { HeaderMatchType, HeaderRoute } from './service-routing';

/** Istio: header keys must be lowercase with '-' as separator; these keys are ignored as headers. */
const HEADER_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const IGNORED_HEADER_KEYS = ['uri', 'scheme', 'method', 'authority'];

/**
 * A request header condition that sends a request to the canary whatever the weights, so
 * testers can reach the new version on demand.
 *
 * Exact and prefix matches are the normal choice. A regex is an explicit opt-in
 * (`HeaderMatch.regex`): RE2 syntax, matched against the whole header value, slower
 * and easy to get subtly wrong.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export class HeaderMatch {
  /**
   * Requests whose header equals `value` (e.g. `x-canary: true`).
   *
   * @param header lowercase header name, '-' as separator (e.g. `x-canary`)
   * @param value the exact value
   */
  public static exact(header: string, value: string): HeaderMatch {
    return new HeaderMatch(HeaderMatchType.EXACT, header, value);
  }

  /**
   * Requests whose header starts with `value` (e.g. `user-agent` starting with `qa-bot/`).
   *
   * @param header lowercase header name, '-' as separator
   * @param value the prefix
   */
  public static prefix(header: string, value: string): HeaderMatch {
    return new HeaderMatch(HeaderMatchType.PREFIX, header, value);
  }

  /**
   * Opt-in: requests whose whole header value matches an RE2 regular expression. Prefer
   * `exact` or `prefix`: a regex is evaluated on every request, Envoy anchors it to the whole
   * value (`true` does not match `true-ish`), and RE2 has no lookarounds or backreferences.
   * Refused: patterns longer than 1024 characters (istiod's limit), lookarounds,
   * backreferences, and patterns that do not compile.
   *
   * @param header lowercase header name, '-' as separator
   * @param pattern an RE2 regular expression
   */
  public static regex(header: string, pattern: string): HeaderMatch {
    return new HeaderMatch(HeaderMatchType.REGEX, header, pattern);
  }

  /** No header override: only the weights decide (no header route is written). */
  public static none(): HeaderMatch {
    return new HeaderMatch();
  }

  /** The header name, unless this is `none()`. */
  public readonly header?: string;
  /** The value (or pattern) to match, unless this is `none()`. */
  public readonly value?: string;
  /** How the value is matched, unless this is `none()`. */
  public readonly matchType?: HeaderMatchType;

  private constructor(matchType?: HeaderMatchType, header?: string, value?: string) {
    this.matchType = matchType;
    this.header = header;
    this.value = value;
  }

  /** True for `HeaderMatch.none()`. */
  public get isNone(): boolean {
    return this.matchType === undefined;
  }

  /** @internal */
  public _check(scope: IConstruct, prop: string): void {
    if (this.isNone) return;
    const h = this.header;
    if (typeof h !== 'string' || !HEADER_NAME.test(h) || h.length > 256) {
      fail(scope, `${prop}.header`, h, 'must be a lowercase header name with \'-\' as separator, as Istio requires', `write it lowercase, e.g. ${show(suggestHeader(h))}`);
    }
    if (IGNORED_HEADER_KEYS.includes(h)) {
      fail(scope, `${prop}.header`, h, 'is a key Istio ignores as a header match (uri, scheme, method and authority are request properties, not headers)', 'match on a real request header such as "x-canary"');
    }
    const v = this.value;
    const what = this.matchType === HeaderMatchType.REGEX ? 'pattern' : 'value';
    if (typeof v !== 'string' || v === '') {
      fail(scope, `${prop}.${what}`, v, `must be a non-empty string (an empty ${what} matches any request that has the header)`, 'set the value testers send, e.g. "true"');
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(v)) {
      fail(scope, `${prop}.${what}`, v, 'must not contain control characters (no HTTP header value can carry them)', 'use printable characters only');
    }
    // Envoy refuses a request whose headers exceed max_request_headers_kb, 60 KiB unless raised
    // (envoy api/envoy/config/core/v3/protocol.proto and http_connection_manager.proto,
    // `max_request_headers_kb`: "defaults to 60 KiB"; Istio does not raise it): a longer value
    // can never arrive, so the route would never match.
    if (this.matchType !== HeaderMatchType.REGEX && Buffer.byteLength(v, 'utf8') > MAX_HEADERS_BYTES) {
      fail(scope, `${prop}.${what}`, `${v.slice(0, 40)}... (${Buffer.byteLength(v, 'utf8')} bytes)`, 'is longer than Envoy\'s request header limit (max_request_headers_kb, 60 KiB): no request could carry it',
        'match a short marker value instead, e.g. "true"');
    }
    if (this.matchType === HeaderMatchType.REGEX) checkRe2(scope, `${prop}.pattern`, v, 'use HeaderMatch.exact / prefix');
  }

  /** The header route to `version`, or none. @internal */
  public _route(version: string): HeaderRoute | undefined {
    if (this.isNone) return undefined;
    return { header: this.header!, value: this.value!, matchType: this.matchType!, version };
  }
}

/** Envoy's default max_request_headers_kb (60 KiB), in bytes. */
const MAX_HEADERS_BYTES = 60 * 1024;

function suggestHeader(h: unknown): string {
  const s = String(h ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return s || 'x-canary';
}
