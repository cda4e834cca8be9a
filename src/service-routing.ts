/**
 * A share of a service's ordinary traffic for one version.
 */
export interface VersionWeight {
  /** The version (pod label `version`) that receives the share. */
  readonly version: string;
  /** Relative weight, percent of the route (0-100). */
  readonly weight: number;
}

/**
 * How a header is matched.
 */
export enum HeaderMatchType {
  /** The header equals the value. */
  EXACT = 'exact',
  /** The header starts with the value. */
  PREFIX = 'prefix',
  /** The header matches an RE2 regular expression (opt-in: regexes are slow and easy to get wrong). */
  REGEX = 'regex',
}

/**
 * A request header condition that sends matching requests to one version whatever the weights.
 */
export interface HeaderRoute {
  /** Header name, lowercase (e.g. `x-canary`). */
  readonly header: string;
  /** The value to match. */
  readonly value: string;
  /** How the value is matched. */
  readonly matchType: HeaderMatchType;
  /** The version that matching requests reach. */
  readonly version: string;
}

/**
 * The routing a construct contributes to a MeshedService's single VirtualService
 * (header routes first, then the weighted route). Timeouts and retries of the service
 * apply to every route.
 */
export interface ServiceRouting {
  /** Shares of ordinary traffic; versions with weight 0 are left out of the YAML. */
  readonly weights: VersionWeight[];
  /**
   * Header routes evaluated before the weighted route.
   * @default - none
   */
  readonly headerRoutes?: HeaderRoute[];
  /**
   * A version that receives a shadow copy of the weighted route's traffic.
   * @default - no mirror
   */
  readonly mirrorVersion?: string;
  /**
   * Percent of requests mirrored.
   * @default 100 when mirrorVersion is set
   */
  readonly mirrorPercent?: number;
}
