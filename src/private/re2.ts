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
  // RE2 caps a counted repetition at 1000 (re2/parse.cc kMaxRepeat; "bad repetition operator");
  // JavaScript has no cap, so `a{1001}` compiled here and failed in Envoy.
  for (const m of pattern.matchAll(/(^|[^\\])\{(\d+)(?:,(\d*))?\}/g)) {
    const n = Math.max(Number(m[2]), m[3] ? Number(m[3]) : 0);
    if (n > 1000) {
      fail(scope, prop, pattern, `repeats ${n} times, and RE2 (Envoy's regex engine) allows at most 1000 in a counted repetition`, `use a repeat count of 1000 or less, or ${instead}`);
    }
  }
  // Escapes RE2 knows (re2/parse.cc, RE2 syntax): \a \f \t \n \r \v, \x, \p \P, \d \D \s \S \w \W,
  // \b \B \A \z, \Q...\E, \C, octal digits, and an escaped punctuation character. Any other
  // letter (\Z, \G, \K, \R, \X, \e, \c, \h ...) is "invalid escape sequence" in RE2, while
  // JavaScript outside unicode mode reads most of them as the letter itself.
  for (const m of pattern.matchAll(/\\(.)/gs)) {
    if (/[A-Za-z]/.test(m[1]) && !/[aftnrvxpPdDsSwWbBAzQEC]/.test(m[1])) {
      fail(scope, prop, pattern, `uses the escape \\${m[1]}, which RE2 (Envoy's regex engine) does not support`,
        m[1] === 'Z' ? `use \\z (end of text) instead, or ${instead}` : `remove it or escape something RE2 knows, or ${instead}`);
    }
  }
  const asJs = pattern.replace(/\(\?P</g, '(?<').replace(/\(\?[imsU]+\)/g, '').replace(/\(\?[imsU-]+:/g, '(?:');
  try {
    new RegExp(asJs);
  } catch {
    fail(scope, prop, pattern, 'is not a valid regular expression', `fix the pattern (RE2 syntax), or ${instead}`);
  }
}
