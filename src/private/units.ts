import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * A Kubernetes quantity, as k8s.io/apimachinery pkg/api/resource/quantity.go defines it:
 * `<signedNumber><suffix>`, the number `<digits>`, `<digits>.<digits>`, `<digits>.` or `.<digits>`
 * with an optional sign, and the suffix binary (Ki Mi Gi Ti Pi Ei), decimal (n u m "" k M G T P E:
 * suffix.go also reads n and u) or a decimal exponent (`e`/`E` and a signed number).
 */
const QUANTITY = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
const DECIMAL_EXPONENT: Record<string, number> = { 'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };
const BINARY_FACTOR: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/**
 * The value of a Kubernetes quantity times 10^`scale10` (3 for millicores), or NaN when it is not
 * one. Decimal digits are shifted as text, so `1.001` is 1001 millicores exactly (not
 * 1000.9999999999999, as `1.001 * 1000` is in floating point).
 */
export function parseQuantity(q: unknown, scale10 = 0): number {
  const m = QUANTITY.exec(String(q ?? '').trim());
  if (!m) return NaN;
  const [, sign, num, suffix = ''] = m;
  const [whole, fraction = ''] = num.split('.');
  let exponent = scale10 - fraction.length;
  let factor = 1;
  if (suffix in BINARY_FACTOR) factor = BINARY_FACTOR[suffix];
  else if (suffix in DECIMAL_EXPONENT) exponent += DECIMAL_EXPONENT[suffix];
  else exponent += Number(suffix.slice(1)); // e/E and a signed number
  const value = Number(`${whole || '0'}${fraction}e${exponent}`) * factor;
  return sign === '-' ? -value : value;
}

/** Millicores of a Kubernetes CPU quantity (`'250m'`, `'2'`, `'1.5'`), or NaN when it is not one. */
export function parseCpuMillis(q: unknown): number {
  return parseQuantity(q, 3);
}

/** Bytes of a Kubernetes memory quantity (`'512Mi'`, `'1G'`, `'1e9'`), or NaN when it is not one. */
export function parseMemoryBytes(q: unknown): number {
  return parseQuantity(q);
}

/** Millicores of a cdk8s-plus `Cpu`; NaN when it is not a quantity. */
export function cpuMillis(cpu: kplus.Cpu): number {
  return parseCpuMillis(cpu.amount);
}

/** A Kubernetes CPU quantity, in millicores (`'100m'`, `'2000m'`). @internal */
export function cpuQuantity(cpu: kplus.Cpu): string {
  return `${Math.round(cpuMillis(cpu))}m`;
}

/** A Kubernetes memory quantity (`'128Mi'`, or Ki where Mi is not whole). @internal */
export function memoryQuantity(size: Size): string {
  const mi = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  return Number.isInteger(mi) ? `${mi}Mi` : `${Math.round(size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }))}Ki`;
}

/** Bytes of a Size, for comparisons. @internal */
export function sizeBytes(size: Size): number {
  return size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024;
}

/** A protobuf Duration string as Istio takes it (`'10s'`, `'250ms'`). @internal */
export function istioDuration(d: Duration): string {
  const ms = d.toMilliseconds();
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
