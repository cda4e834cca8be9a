import { MeshRule, RuleHit } from './rule';
import { regexesOf } from './vs-regexes';
import { re2Problem } from '../private/re2';

/** MESH-VS-002: regex matches in VirtualService routes (valid ones: an invalid one is MESH-VS-005's error). */
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
      for (const r of regexesOf(vs)) {
        if (!r.inMatch || typeof r.regex !== 'string' || re2Problem(r.regex)) continue;
        hits.push({ object: vs, location: r.location, message: `${r.where} is matched by the regex ${JSON.stringify(r.regex)}` });
      }
    }
    return hits;
  },
};
