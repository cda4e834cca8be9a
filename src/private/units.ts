import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/** Millicores of a cdk8s-plus `Cpu` (`'250m'` or `'2'`); NaN when it is not a quantity. @internal */
export function cpuMillis(cpu: kplus.Cpu): number {
  const amount = String(cpu.amount);
  const m = /^(-?[0-9]*\.?[0-9]+)(m?)$/.exec(amount);
  if (!m) return NaN;
  return m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
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
