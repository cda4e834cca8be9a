import { IConstruct } from 'constructs';
import { ProxyStatsMatcher } from './istio-operator';
import { checkObject, checkStringList } from '../private/checks';
import { fail } from '../private/errors';
import { checkRe2 } from '../private/re2';

/** The three kinds of stats names a proxy can be told to keep, each matched differently. */
export interface StatsInclusionProps {
  /**
   * Literal prefixes of Envoy stats names (`inclusionPrefixes`), e.g. `cluster.outbound`.
   * Not regexes: `.*` here matches nothing.
   *
   * @default - none
   */
  readonly prefixes?: string[];

  /**
   * Literal suffixes of Envoy stats names (`inclusionSuffixes`), e.g. `upstream_rq_timeout`.
   *
   * @default - none
   */
  readonly suffixes?: string[];

  /**
   * RE2 regexes matched against the whole stats name (`inclusionRegexps`), e.g. `.*outlier_detection.*`.
   *
   * @default - none
   */
  readonly regexps?: string[];
}

/**
 * Extra Envoy stats every proxy keeps (ProxyConfig `proxyStatsMatcher`), on top of Istio's
 * minimal default set. Literal prefixes, literal suffixes and regexes are kept apart, because
 * Istio matches each list differently and a regex in the prefix list silently matches nothing.
 *
 * @see https://istio.io/latest/docs/ops/configuration/telemetry/envoy-stats/
 */
export class StatsInclusion {
  /** Stats whose names start with one of these literal prefixes. */
  public static prefixes(...prefixes: string[]): StatsInclusion {
    return new StatsInclusion({ prefixes });
  }

  /** Stats whose names end with one of these literal suffixes. */
  public static suffixes(...suffixes: string[]): StatsInclusion {
    return new StatsInclusion({ suffixes });
  }

  /** Stats whose whole names match one of these RE2 regexes. */
  public static regexps(...regexps: string[]): StatsInclusion {
    return new StatsInclusion({ regexps });
  }

  /** Any mix of prefixes, suffixes and regexes. */
  public static of(props: StatsInclusionProps): StatsInclusion {
    return new StatsInclusion(props);
  }

  private readonly _prefixes: string[];
  private readonly _suffixes: string[];
  private readonly _regexps: string[];

  private readonly props: StatsInclusionProps;

  private constructor(props: StatsInclusionProps) {
    // A plain-JavaScript caller may pass anything: kept as given, and refused by _check with the
    // construct's path (a factory has none).
    this.props = props;
    this._prefixes = listOf(props, 'prefixes');
    this._suffixes = listOf(props, 'suffixes');
    this._regexps = listOf(props, 'regexps');
  }

  /** The literal prefixes. */
  public get prefixList(): string[] {
    return [...this._prefixes];
  }

  /** The literal suffixes. */
  public get suffixList(): string[] {
    return [...this._suffixes];
  }

  /** The regexes. */
  public get regexpList(): string[] {
    return [...this._regexps];
  }

  /** Checks every entry on behalf of the construct using it. @internal */
  public _check(scope: IConstruct, prop: string): void {
    const props = checkObject(scope, prop, this.props, 'StatsInclusion.prefixes("cluster.outbound")');
    for (const key of ['prefixes', 'suffixes', 'regexps'] as const) {
      checkStringList(scope, `${prop}.${key}`, props[key], `write ${key}: ["cluster.outbound"]`);
    }
    const lists: Array<[string, string[]]> = [['prefixes', this._prefixes], ['suffixes', this._suffixes], ['regexps', this._regexps]];
    for (const [name, list] of lists) {
      list.forEach((entry, i) => {
        const where = `${prop}.${name}[${i}]`;
        // checkStringList above already refused non-strings and empty strings: only spaces are left.
        if (/\s/.test(entry)) {
          fail(scope, where, entry, 'must be a non-empty stats name pattern without spaces', 'remove it or write the stats name, e.g. "cluster.outbound"');
        }
        if (/mixer/i.test(entry)) {
          fail(scope, where, entry, 'names a Mixer-era stat: Mixer was removed in Istio 1.8 and http_mixer_filter / tcp_mixer_filter stats no longer exist, so it keeps nothing',
            'remove it: Istio\'s standard metrics (istio_requests_total, ...) are produced without it; to keep Envoy stats list their real names, e.g. StatsInclusion.prefixes("cluster.outbound")');
        }
      });
    }
    this._prefixes.forEach((p, i) => {
      if (looksLikeRegex(p)) {
        fail(scope, `${prop}.prefixes[${i}]`, p, 'looks like a regex, but prefixes are matched literally, so it matches no stat', regexFix(p));
      }
    });
    this._suffixes.forEach((s, i) => {
      if (looksLikeRegex(s)) {
        fail(scope, `${prop}.suffixes[${i}]`, s, 'looks like a regex, but suffixes are matched literally, so it matches no stat', regexFix(s));
      }
    });
    this._regexps.forEach((r, i) => checkRe2(scope, `${prop}.regexps[${i}]`, r, 'use literal prefixes or suffixes'));
  }

  /** The ProxyConfig `proxyStatsMatcher`, or undefined when empty. @internal */
  public _render(): ProxyStatsMatcher | undefined {
    const m: ProxyStatsMatcher = {
      inclusionPrefixes: this._prefixes.length ? unique(this._prefixes) : undefined,
      inclusionSuffixes: this._suffixes.length ? unique(this._suffixes) : undefined,
      inclusionRegexps: this._regexps.length ? unique(this._regexps) : undefined,
    };
    return m.inclusionPrefixes || m.inclusionSuffixes || m.inclusionRegexps ? m : undefined;
  }
}

const REGEX_CHARS = /[*+?[\](){}|^$\\]/;

function looksLikeRegex(s: string): boolean {
  return REGEX_CHARS.test(s);
}

/** Says what to write instead of a regex in a literal list. */
function regexFix(s: string): string {
  const literal = (x: string) => x.replace(/\\\./g, '.');
  const prefix = /^\^?((?:[^*+?[\](){}|^$\\]|\\\.)+)\.\*\$?$/.exec(s);
  if (prefix) return `write the literal prefix instead: StatsInclusion.prefixes(${JSON.stringify(literal(prefix[1]))})`;
  const suffix = /^\^?\.\*((?:[^*+?[\](){}|^$\\]|\\\.)+)\$?$/.exec(s);
  if (suffix) return `write the literal suffix instead: StatsInclusion.suffixes(${JSON.stringify(literal(suffix[1]))})`;
  return `move it to the regex list: StatsInclusion.of({ regexps: [${JSON.stringify(s)}] })`;
}

function listOf(props: unknown, key: keyof StatsInclusionProps): string[] {
  const value = typeof props === 'object' && props !== null ? (props as StatsInclusionProps)[key] : undefined;
  return Array.isArray(value) ? [...value] : [];
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
