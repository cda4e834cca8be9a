// One helper per kind of check. Every message goes through `fail` (one formatter).
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { MIN_REASON_LENGTH } from './istio-facts';

/** Largest value of a protobuf/Kubernetes int32 field. */
export const INT32_MAX = 2 ** 31 - 1;

/** Throws unless `value` is a whole number from `min` to `max`; returns it. */
export function checkInt(scope: IConstruct | string, prop: string, value: number, min: number, max: number, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(scope, prop, value, `must be a whole number from ${min} to ${max}`, fix);
  }
  return value;
}

/** Throws unless `value` is a TCP/UDP port, 1 to 65535. */
export function checkPort(scope: IConstruct | string, prop: string, value: number, fix: string): number {
  return checkInt(scope, prop, value, 1, 65535, fix);
}

/** Throws unless `value` is undefined or a count from 1 to 2^31-1 (an int32 field). */
export function checkCount(scope: IConstruct | string, prop: string, value: number | undefined, fix: string): number | undefined {
  return value === undefined ? undefined : checkInt(scope, prop, value, 1, INT32_MAX, fix);
}

/** Throws unless `value` is a finite number from `min` to `max` (fractions allowed), e.g. a percentage. */
export function checkNumber(scope: IConstruct | string, prop: string, value: number, min: number, max: number, rule: string, fix: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(scope, prop, value, rule, fix);
  return value;
}

/** Throws unless `value` is true or false (a plain-JavaScript caller may pass a string); returns it. */
export function checkBoolean(scope: IConstruct | string, prop: string, value: boolean, fix: string): boolean {
  if (typeof value !== 'boolean') fail(scope, prop, value, 'must be true or false', fix);
  return value;
}

/**
 * Throws unless a value-type prop is an instance of its class (a plain-JavaScript caller may pass
 * anything; the value types' factories are the only way to make one).
 *
 * @param example how to make one, for the fix (`DisruptionBudget.maxUnavailable(1)`)
 */
export function checkInstance(
  scope: IConstruct | string, prop: string, value: unknown, type: { readonly name: string; readonly prototype: object }, example: string,
): void {
  if (typeof value !== 'object' || value === null || !Object.prototype.isPrototypeOf.call(type.prototype, value)) {
    fail(scope, prop, value, `must be a ${type.name}`, `set ${prop}: ${example}, or leave it unset`);
  }
}

/**
 * Throws unless `value` is a member of a string enum (a plain-JavaScript caller may pass anything).
 *
 * @param enumName the enum's name, for the fix (`use the MeshProtocol enum`)
 */
export function checkEnum<T extends string>(scope: IConstruct | string, prop: string, value: T, members: Record<string, T>, enumName: string): T {
  const allowed = Object.values(members);
  if (!allowed.includes(value)) fail(scope, prop, value, `must be one of ${allowed.join(', ')}`, `use the ${enumName} enum`);
  return value;
}

/**
 * Throws unless `reason` says why, in at least MIN_REASON_LENGTH characters (a suppression, a
 * DISABLE); returns it trimmed.
 *
 * @param rule what the reason is for, e.g. `must explain the suppression`
 * @param why why a reason is asked for, after the rule
 */
export function checkReason(scope: IConstruct | string, prop: string, reason: unknown, rule: string, fix: string, why?: string): string {
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
    fail(scope, prop, reason, `${rule} in at least ${MIN_REASON_LENGTH} characters${why ? `: ${why}` : ''}`, fix);
  }
  return reason.trim();
}

/** Throws unless a Duration is at least 1 ms (Istio's protobuf Durations: shorter ones are rejected or read as unset). */
export function checkDuration(scope: IConstruct | string, prop: string, d: Duration | undefined, fix: string): void {
  if (d !== undefined && !(d.toMilliseconds() >= 1)) {
    fail(scope, prop, `${d.toMilliseconds()}ms`, 'must be at least 1 millisecond (Istio rejects shorter durations)', fix);
  }
}
