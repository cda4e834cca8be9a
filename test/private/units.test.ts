import { parseCpuMillis, parseMemoryBytes } from '../../src/private/units';

describe('Kubernetes quantities (one parser for constructs and rules)', () => {
  test('reads CPU quantities in millicores', () => {
    expect(parseCpuMillis('1500m')).toBe(1500);
    expect(parseCpuMillis('2')).toBe(2000);
    expect(parseCpuMillis(' 0.5 ')).toBe(500);
    expect(parseCpuMillis('-1')).toBe(-1000);
    expect(parseCpuMillis('lots')).toBeNaN();
    expect(parseCpuMillis(undefined)).toBeNaN();
  });

  test('reads memory quantities in bytes', () => {
    expect(parseMemoryBytes('512Mi')).toBe(512 * 1024 ** 2);
    expect(parseMemoryBytes('1G')).toBe(1e9);
    expect(parseMemoryBytes('1e3')).toBe(1000);
    expect(parseMemoryBytes('1Qi')).toBeNaN();
  });
});
