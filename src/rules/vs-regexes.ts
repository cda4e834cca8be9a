// Every regex of a VirtualService, where istiod validates one (pkg/config/validation/virtualservice.go
// validateHTTPRouteMatchRequest, and validation.go validateCORSPolicy / validateAllowOrigins).
import { ptr } from './mesh-objects';
import { KObject } from './rule';
import { asArray, isObject } from '../private/json';

const STRING_MATCH_FIELDS = ['uri', 'scheme', 'method', 'authority'];
const MAP_MATCH_FIELDS = ['headers', 'queryParams', 'withoutHeaders'];

/** A regex in a VirtualService. */
export interface VsRegex {
  /** JSON pointer of the regex. */
  readonly location: string;
  /** `uri`, `headers "x-user"`, `corsPolicy.allowOrigins`... */
  readonly where: string;
  readonly regex: unknown;
  /** In a route match (as opposed to corsPolicy). */
  readonly inMatch: boolean;
}

export function regexesOf(vs: KObject): VsRegex[] {
  const out: VsRegex[] = [];
  asArray(vs.spec?.http).forEach((route, r) => {
    asArray(route?.match).forEach((m, i) => {
      if (!isObject(m)) return;
      const base = `/spec/http/${r}/match/${i}`;
      for (const f of STRING_MATCH_FIELDS) {
        if (isObject(m[f]) && m[f].regex !== undefined) out.push({ location: `${base}/${f}/regex`, where: f, regex: m[f].regex, inMatch: true });
      }
      for (const f of MAP_MATCH_FIELDS) {
        if (!isObject(m[f])) continue;
        for (const [k, v] of Object.entries(m[f])) {
          // withoutHeaders regex `*` is not a regex: istiod reads it as "header present".
          if (f === 'withoutHeaders' && isObject(v) && v.regex === '*') continue;
          if (isObject(v) && v.regex !== undefined) out.push({ location: `${base}/${f}/${ptr(k)}/regex`, where: `${f} ${JSON.stringify(k)}`, regex: v.regex, inMatch: true });
        }
      }
    });
    asArray(route?.corsPolicy?.allowOrigins).forEach((o, j) => {
      if (isObject(o) && o.regex !== undefined) out.push({ location: `/spec/http/${r}/corsPolicy/allowOrigins/${j}/regex`, where: 'corsPolicy.allowOrigins', regex: o.regex, inMatch: false });
    });
  });
  return out;
}
