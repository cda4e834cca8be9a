import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/** Millicores of a Kubernetes CPU quantity (`'250m'`, `'2'`, `'1.5'`), or NaN when it is not one. */
export function parseCpuMillis(q: unknown): number {
  const m = /^\s*(-?[0-9]*\.?[0-9]+)(m?)\s*$/.exec(String(q ?? ''));
  if (!m) return NaN;
  return m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 1024,
  'Mi': 1024 ** 2,
  'Gi': 1024 ** 3,
  'Ti': 1024 ** 4,
  'Pi': 1024 ** 5,
  'Ei': 1024 ** 6,
  'm': 1e-3,
};

/** Bytes of a Kubernetes memory quantity (`'512Mi'`, `'1G'`, `'1e9'`), or NaN when it is not one. */
export function parseMemoryBytes(q: unknown): number {
  const s = String(q ?? '').trim();
  const m = /^([0-9]*\.?[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/.exec(s);
  if (m) return Number(m[1]) * MEMORY_UNITS[m[2] ?? ''];
  const e = /^([0-9]*\.?[0-9]+)[eE]([0-9]+)$/.exec(s);
  return e ? Number(e[1]) * 10 ** Number(e[2]) : NaN;
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
