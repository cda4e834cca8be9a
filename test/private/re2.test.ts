import { re2Problem } from '../../src/private/re2';

describe('re2Problem (RE2 itself, through re2js)', () => {
  test.each([
    '/api/v[0-9]+/.*', '(?P<name>a+)', '(?<name>a+)', '(?i)^bearer .*', '\\pL+', '\\Q*.\\E', '^(alice|bob)$', 'x{1000}', 'é'.repeat(512),
  ])('accepts %s', (p) => expect(re2Problem(p)).toBeUndefined());

  test.each([
    ['(?=a)', 'lookaround'], ['^(?!bob).*', 'lookaround'], ['(?<=a)b', 'lookaround'], ['(?<!a)b', 'lookaround'],
    ['(a)\\1', 'backreference'], ['(?P<x>a)\\k<x>', 'backreference'],
    ['[', 'syntax'], ['a**', 'syntax'], ['a{2,1}', 'syntax'], ['x{1001}', 'syntax'], ['\\Z', 'syntax'], ['\\C', 'syntax'],
    ['', 'empty'], ['a'.repeat(1025), 'length'],
    // Go's len counts bytes: 513 two-byte characters are 1026 bytes
    ['é'.repeat(513), 'length'],
  ])('refuses %s (%s)', (p, kind) => expect(re2Problem(p)?.kind).toBe(kind));

  test('says what RE2 says', () => {
    expect(re2Problem('a**')?.problem).toBe('is not a valid RE2 regular expression (invalid nested repetition operator: `**`)');
  });
});
