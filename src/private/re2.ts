import { IConstruct } from 'constructs';
import { fail } from './errors';

/** istiod rejects regexes longer than this. */
const MAX_REGEX_LENGTH = 1024;

/**
 * Refuses what RE2 (Envoy's regex engine) cannot run, and what istiod rejects, wherever a
 * regex reaches a proxy (header matches, stats inclusion). RE2 spellings JavaScript lacks,
 * named groups `(?P<n>...)` and inline flags `(?i)`, are accepted.
 *
 * @param instead what to use instead of a regex, for the fix (e.g. `use HeaderMatch.exact / prefix`)
 * @internal
 */
export function checkRe2(scope: IConstruct, prop: string, pattern: string, instead: string): void {
  if (pattern.length > MAX_REGEX_LENGTH) {
    fail(scope, prop, `${pattern.slice(0, 40)}...`, `must be at most ${MAX_REGEX_LENGTH} characters (istiod's limit), it has ${pattern.length}`, `use a shorter pattern, or ${instead}`);
  }
  if (/\(\?<?[=!]/.test(pattern)) {
    fail(scope, prop, pattern, 'uses a lookaround, which RE2 (Envoy\'s regex engine) does not support', `rewrite it without (?=, (?!, (?<= or (?<!, or ${instead}`);
  }
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(pattern) || /\\k</.test(pattern)) {
    fail(scope, prop, pattern, 'uses a backreference, which RE2 (Envoy\'s regex engine) does not support', `rewrite it without \\1 or \\k<name>, or ${instead}`);
  }
  const asJs = pattern.replace(/\(\?P</g, '(?<').replace(/\(\?[imsU]+\)/g, '').replace(/\(\?[imsU-]+:/g, '(?:');
  try {
    new RegExp(asJs);
  } catch {
    fail(scope, prop, pattern, 'is not a valid regular expression', `fix the pattern (RE2 syntax), or ${instead}`);
  }
}
