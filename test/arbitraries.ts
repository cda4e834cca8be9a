// fast-check arbitraries for the property tests: Kubernetes names up to their real limits.
// (fc.stringMatching with a long repeat count is slow; these build the same strings from characters.)
import * as fc from 'fast-check';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${LOWER}0123456789`;
const char = (set: string) => fc.constantFrom(...set.split(''));

/**
 * A DNS label of 1 to `max` characters (lowercase letters, digits and '-', starting and ending with
 * a letter or digit; `letterFirst`: starting with a letter, as a DNS-1035 label / Service name).
 * Short names mostly, names at or near `max` often.
 */
export function dnsLabel(max = 63, letterFirst = false): fc.Arbitrary<string> {
  const first = char(letterFirst ? LOWER : ALNUM);
  const middle = (min: number, most: number) => fc.string({ unit: char(`${ALNUM}-`), minLength: Math.max(0, min), maxLength: Math.max(0, most) });
  const long = max <= 1 ? first : fc.tuple(first, middle(max - 12, max - 2), char(ALNUM)).map(([a, m, z]) => `${a}${m}${z}`);
  return fc.oneof(
    { weight: 3, arbitrary: max <= 1 ? first : fc.tuple(first, fc.option(fc.tuple(middle(0, Math.min(10, max - 2)), char(ALNUM)), { nil: undefined })).map(([a, rest]) => (rest ? `${a}${rest[0]}${rest[1]}` : a)) },
    { weight: 1, arbitrary: long },
  );
}
