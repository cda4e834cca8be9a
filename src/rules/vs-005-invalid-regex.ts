import { MeshRule, RuleHit } from './rule';
import { regexesOf } from './vs-regexes';
import { re2Problem } from '../private/re2';

/**
 * MESH-VS-005: a VirtualService regex istiod rejects (IST0122). istiod's webhook compiles every
 * match regex and `corsPolicy.allowOrigins` regex with Go's RE2 `regexp`, refuses empty ones and
 * ones over 1024 bytes (pkg/config/validation/validation.go validateStringMatchRegexp /
 * validateStringRegexp, 1.22.8 and 1.30.3); istioctl analyze reported the same as IST0122 up to
 * 1.22 (pkg/config/analysis/analyzers/virtualservice/regexes.go, removed in 1.23 as the webhook
 * covers it). Decided by RE2 itself (re2js), the same check the constructs use.
 */
export const vsInvalidRegex: MeshRule = {
  id: 'MESH-VS-005',
  level: 'error',
  istioCodes: ['IST0122'],
  info: 'VirtualService regex that is not valid RE2, empty, or longer than 1024 characters (IST0122)',
  explanation: 'istiod compiles every regex of a VirtualService (uri, scheme, method, authority, headers, queryParams, '
    + 'withoutHeaders, corsPolicy.allowOrigins) with RE2 and rejects the VirtualService when one does not compile, is empty '
    + 'or is longer than 1024 characters: the apply fails. RE2 has no lookarounds and no backreferences.',
  fix: 'fix the regex (RE2 syntax: https://github.com/google/re2/wiki/Syntax), or use an `exact` or `prefix` match',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const vs of objects.virtualServices()) {
      for (const r of regexesOf(vs)) {
        const p = typeof r.regex === 'string' ? re2Problem(r.regex) : { problem: 'is not a string' };
        if (!p) continue;
        hits.push({ object: vs, location: r.location, message: `${r.where} regex ${JSON.stringify(typeof r.regex === 'string' && r.regex.length > 60 ? `${r.regex.slice(0, 60)}...` : r.regex)} ${p.problem}` });
      }
    }
    return hits;
  },
};
