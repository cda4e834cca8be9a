import { IConstruct } from 'constructs';
import { RE2JS } from 're2js';
import { fail } from './errors';

/**
 * istiod rejects longer regexes: pkg/config/validation/validation.go validateStringRegexp,
 * `len(re) > 1024` (Go's `len`: bytes), "regex is too large, max length allowed is 1024".
 */
export const MAX_REGEX_LENGTH = 1024;

/** Why a regex cannot reach a proxy, or undefined when it can. */
export interface Re2Problem {
  readonly kind: 'empty' | 'length' | 'lookaround' | 'backreference' | 'syntax';
  /** What is wrong, lowercase (e.g. `is not a valid RE2 regular expression (missing closing ])`). */
  readonly problem: string;
  /** RE2's own message, for syntax problems. */
  readonly detail?: string;
}

/**
 * Whether a regex is one istiod accepts and Envoy runs, decided by RE2 itself: re2js, Google RE2
 * ported to JavaScript (through RE2/J from Go's regexp package, the one istiod compiles with in
 * validateStringRegexp). Empty and over-long regexes are refused as istiod does
 * (validateStringMatchRegexp: "regex string match should not be empty").
 */
export function re2Problem(pattern: string): Re2Problem | undefined {
  if (pattern === '') return { kind: 'empty', problem: 'is empty, which istiod rejects for a regex match' };
  const bytes = Buffer.byteLength(pattern, 'utf8');
  if (bytes > MAX_REGEX_LENGTH) {
    return { kind: 'length', problem: `must be at most ${MAX_REGEX_LENGTH} characters (istiod's limit), it has ${bytes}` };
  }
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    const detail = String((e as Error)?.message ?? e).replace(/^error parsing regexp: /, '');
    if (/unsupported Perl syntax: `\(\?[=!]|invalid named capture: `\(\?<[=!]/.test(detail)) {
      return { kind: 'lookaround', problem: 'uses a lookaround, which RE2 (Envoy\'s regex engine) does not support', detail };
    }
    if (/invalid escape sequence: `\\([1-9]|k)/.test(detail)) {
      return { kind: 'backreference', problem: 'uses a backreference, which RE2 (Envoy\'s regex engine) does not support', detail };
    }
    return { kind: 'syntax', problem: `is not a valid RE2 regular expression (${detail})`, detail };
  }
}

/**
 * Refuses what RE2 (Envoy's regex engine) cannot run, and what istiod rejects, wherever a
 * regex reaches a proxy (header matches, stats inclusion).
 *
 * @param instead what to use instead of a regex, for the fix (e.g. `use HeaderMatch.exact / prefix`)
 * @internal
 */
export function checkRe2(scope: IConstruct, prop: string, pattern: string, instead: string): void {
  const p = re2Problem(pattern);
  if (!p) return;
  switch (p.kind) {
    case 'length':
      return fail(scope, prop, `${pattern.slice(0, 40)}...`, p.problem, `use a shorter pattern, or ${instead}`);
    case 'lookaround':
      return fail(scope, prop, pattern, p.problem, `rewrite it without (?=, (?!, (?<= or (?<!, or ${instead}`);
    case 'backreference':
      return fail(scope, prop, pattern, p.problem, `rewrite it without \\1 or \\k<name>, or ${instead}`);
    default: {
      // Hints for what RE2 rejects that JavaScript accepts: counted repetition above 1000
      // (re2/parse.cc kMaxRepeat) and escapes RE2 does not know (`\Z`: RE2 spells it `\z`).
      const detail = p.detail!; // syntax problems always carry RE2's message
      const hint = /repeat count/.test(detail) ? 'use a repeat count of 1000 or less (RE2 syntax)'
        : /`\\Z`/.test(detail) ? 'use \\z (end of text; RE2 syntax)'
          : 'fix the pattern (RE2 syntax)';
      return fail(scope, prop, pattern, 'is not a valid regular expression', `${hint}: RE2 says ${detail}; or ${instead}`);
    }
  }
}
