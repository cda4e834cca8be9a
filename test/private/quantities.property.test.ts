// Kubernetes quantities in every form the API server accepts (k8s.io/apimachinery
// pkg/api/resource/quantity.go: a signed decimal number, then a binary suffix Ki..Ei, a decimal
// suffix n u m "" k M G T P E, or a decimal exponent e/E with a signed number), read by the
// constructs' checks and by the rules (MESH-PROXY-001).
import * as fc from 'fast-check';
import { parseCpuMillis, parseMemoryBytes, parseQuantity } from '../../src/private/units';

const DECIMAL: Record<string, number> = { 'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** The exact value of digits × 10^exp × 2^bits as a BigInt fraction, compared to a float within rounding. */
function close(actual: number, digits: string, exp: number, bits: number): boolean {
  const n = BigInt(digits) * 2n ** BigInt(bits);
  const expected = exp >= 0 ? Number(n * 10n ** BigInt(exp)) : Number(n) / 10 ** -exp;
  return expected === 0 ? actual === 0 : Math.abs(actual - expected) <= Math.abs(expected) * 1e-12;
}

describe('Kubernetes quantities (properties)', () => {
  test('any whole number of millicores, written as millicores or as cores ("1001m", "1.001"), reads as exactly that many millicores', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), (m) => {
      expect(parseCpuMillis(`${m}m`)).toBe(m);
      expect(parseCpuMillis(String(m / 1000))).toBe(m);
      expect(parseCpuMillis(`${m}e-3`)).toBe(m);
      expect(Number.isInteger(parseCpuMillis(String(m / 1000)))).toBe(true);
    }), { numRuns: 2000 });
  });

  test('any quantity in any suffix or exponent form reads as its value; anything else is NaN', () => {
    const number = fc.tuple(fc.stringMatching(/^[0-9]{0,6}$/), fc.option(fc.stringMatching(/^[0-9]{0,4}$/), { nil: undefined }))
      .filter(([w, f]) => w !== '' || (f !== undefined && f !== ''));
    const suffix = fc.oneof(
      fc.constantFrom(...Object.keys(DECIMAL), ...Object.keys(BINARY)),
      fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 12 })).map(([e, s, n]) => `${e}${s}${n}`),
    );
    fc.assert(fc.property(fc.constantFrom('', '+', '-'), number, suffix, (sign, [whole, fraction], sfx) => {
      const text = `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}${sfx}`;
      const digits = `${whole}${fraction ?? ''}` || '0';
      let exp = -(fraction ?? '').length;
      let bits = 0;
      if (sfx in BINARY) bits = BINARY[sfx];
      else if (sfx in DECIMAL) exp += DECIMAL[sfx];
      else exp += Number(sfx.slice(1));
      const bytes = parseMemoryBytes(text);
      expect(close(sign === '-' ? -bytes : bytes, digits, exp, bits)).toBe(true);
      expect(close(sign === '-' ? -parseCpuMillis(text) : parseCpuMillis(text), digits, exp + 3, bits)).toBe(true);
    }), { numRuns: 1000 });
  });

  test('not quantities: NaN', () => {
    for (const q of ['', '.', '1e', '1e+', 'e3', '1Qi', '1 Mi', '1mi', '1KI', '1K', '--1', '1..2', '0x10', 'Infinity', '1e3Mi', null, undefined, {}]) {
      expect(parseQuantity(q)).toBeNaN();
    }
    // the edges of the grammar: "<digits>." and ".<digits>" are numbers; E alone is exa, e alone is nothing
    expect(parseMemoryBytes('1.')).toBe(1);
    expect(parseMemoryBytes('.5k')).toBe(500);
    expect(parseMemoryBytes('1E')).toBe(1e18);
    expect(parseMemoryBytes('2Ei')).toBe(2 * 2 ** 60);
    expect(parseCpuMillis('100u')).toBeCloseTo(0.1, 12);
  });
});
