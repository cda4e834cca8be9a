import { ptr } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { asArray, isObject } from '../private/json';

const STRING_MATCH_FIELDS = ['uri', 'scheme', 'method', 'authority'];
const MAP_MATCH_FIELDS = ['headers', 'queryParams', 'withoutHeaders'];

/** MESH-VS-002: regex matches in VirtualService routes. */
export const vsRegexMatch: MeshRule = {
  id: 'MESH-VS-002',
  level: 'warning',
  info: 'VirtualService route matches with a regex',
  explanation: 'Regex matches are evaluated per request by every calling sidecar, are easy to get subtly wrong '
    + '(RE2 syntax, full-string anchoring, at most 1024 characters) and hide which requests a route takes. '
    + 'Exact and prefix matches say the same thing for almost every real route.',
  fix: 'use an `exact` or `prefix` match; keep a regex only where no prefix expresses the rule, and suppress this finding with the reason',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const vs of objects.virtualServices()) {
      asArray(vs.spec?.http).forEach((route, r) => {
        asArray(route?.match).forEach((m, i) => {
          if (!isObject(m)) return;
          const base = `/spec/http/${r}/match/${i}`;
          for (const f of STRING_MATCH_FIELDS) {
            if (isObject(m[f]) && m[f].regex !== undefined) {
              hits.push({ object: vs, location: `${base}/${f}/regex`, message: `${f} is matched by the regex ${JSON.stringify(m[f].regex)}` });
            }
          }
          for (const f of MAP_MATCH_FIELDS) {
            if (!isObject(m[f])) continue;
            for (const [k, v] of Object.entries(m[f])) {
              if (isObject(v) && v.regex !== undefined) {
                hits.push({ object: vs, location: `${base}/${f}/${ptr(k)}/regex`, message: `${f} ${JSON.stringify(k)} is matched by the regex ${JSON.stringify(v.regex)}` });
              }
            }
          }
        });
      });
    }
    return hits;
  },
};
