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

/**
 * The longest protobuf Duration: 315,576,000,000 seconds, about 10,000 years
 * (protocolbuffers/protobuf src/google/protobuf/duration.proto: "Range is approximately
 * +-10,000 years", `seconds` from -315,576,000,000 to +315,576,000,000).
 */
export const PROTOBUF_DURATION_MAX_SECONDS = 315_576_000_000;

/**
 * Throws unless `d` is undefined or a cdk8s Duration Istio accepts: whole milliseconds, at least
 * 1 ms, at most the protobuf Duration range. istiod's `ValidateDuration`
 * (istio/istio pkg/config/validation/agent/validation.go, 1.30.3) refuses a duration under 1ms
 * ("duration must be greater than 1ms") or not in whole milliseconds ("only durations to ms
 * precision are supported"); it checks route timeouts, retries' perTryTimeout and the
 * DestinationRule's connection-pool and outlier-detection durations (pkg/config/validation/validation.go).
 * A plain number (`timeout: 5000`) is refused with the Duration to write instead.
 */
export function checkDuration(scope: IConstruct | string, prop: string, d: Duration | undefined, fix: string): void {
  if (d === undefined) return;
  if (!(d instanceof Duration)) {
    const example = typeof d === 'number' && Number.isFinite(d) && d > 0 ? `Duration.millis(${d}) if that is milliseconds` : 'Duration.seconds(5)';
    fail(scope, prop, d, 'must be a Duration (cdk8s), not a plain value', `write ${prop.split('.').pop()}: ${example}, or leave it unset`);
  }
  const ms = d.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || ms < 1) {
    fail(scope, prop, `${ms}ms`, 'must be at least 1 millisecond (istiod ValidateDuration refuses shorter durations)', fix);
  }
  if (!Number.isInteger(ms)) {
    fail(scope, prop, `${ms}ms`, 'must be whole milliseconds (istiod ValidateDuration: "only durations to ms precision are supported")', `round it, e.g. Duration.millis(${Math.max(1, Math.round(ms))})`);
  }
  if (ms / 1000 > PROTOBUF_DURATION_MAX_SECONDS) {
    fail(scope, prop, `${ms}ms`, `must be at most ${PROTOBUF_DURATION_MAX_SECONDS} seconds (the protobuf Duration range)`, fix);
  }
}

/**
 * Throws unless `value` is undefined or a list of non-empty strings. A single string (a plain
 * JavaScript caller's `command: 'npm start'`) is refused with the list to write, never split
 * into characters.
 *
 * @param splitWords suggest splitting a single string on spaces (a command line), not wrapping it
 */
export function checkStringList(scope: IConstruct | string, prop: string, value: unknown, fix: string, splitWords = false): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const list = splitWords ? value.trim().split(/\s+/).filter((w) => w) : [value];
    fail(scope, prop, value, 'must be a list of strings, not one string', `write ${prop.split('.').pop()}: ${JSON.stringify(list.length ? list : ['...'])}`);
  }
  if (!Array.isArray(value)) fail(scope, prop, value, 'must be a list of strings', fix);
  value.forEach((v, i) => {
    if (typeof v !== 'string' || !v) fail(scope, `${prop}[${i}]`, v, 'must be a non-empty string', fix);
  });
  return value as string[];
}

/**
 * Throws unless a props or options object is an object (not null, not a list, not a string);
 * returns it, or `{}` when it is undefined and optional.
 *
 * @param example what to pass, for the fix (`{ image: "ghcr.io/acme/shop:1.0", port: 8080 }`)
 */
export function checkObject<T>(scope: IConstruct | string, prop: string, value: T | undefined, example: string, optional = false): T {
  if (value === undefined && optional) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(scope, prop, value, 'must be an object', optional ? `pass ${example}, or leave it out` : `pass ${example}`);
  }
  return value;
}

/**
 * Throws unless `value` is undefined or a list (a plain-JavaScript caller may pass one item, or a
 * string); returns it as a list.
 *
 * @param example one item, for the fix
 */
export function checkList<T>(scope: IConstruct | string, prop: string, value: T[] | undefined, example: string): T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(scope, prop, value, 'must be a list', `write ${prop.split('.').pop()}: [${example}]`);
  return value;
}

// The image reference grammar of distribution/reference (regexp.go; vendored by Kubernetes at
// kubernetes/kubernetes vendor/github.com/distribution/reference, and what the kubelet's image
// pull parses: anything else is InvalidImageName): [domain[:port]/]path[:tag][@digest], path
// components lowercase, no URL scheme.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::${TAG})?(?:@${DIGEST})?$`);
/** distribution/reference NameTotalLengthMax. */
const IMAGE_NAME_MAX = 255;

/** True when `value` matches the distribution/reference grammar (see checkImage). */
export function isImageReference(value: string): boolean {
  return IMAGE_REFERENCE.test(value) && value.length <= IMAGE_NAME_MAX + 200;
}

/** Throws unless `value` is a container image reference the kubelet can pull; returns it. */
export function checkImage(scope: IConstruct | string, prop: string, value: unknown): string {
  const fix = 'set image to a reference like "ghcr.io/acme/checkout:1.4.2" (registry/repository:tag, repository in lowercase, no scheme)';
  if (typeof value !== 'string' || !value.trim()) fail(scope, prop, value, 'must be a container image reference', fix);
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(value);
  if (scheme) {
    fail(scope, prop, value, `must not start with a URL scheme (${scheme[0]}): the kubelet refuses it as InvalidImageName`, `write ${JSON.stringify(value.slice(scheme[0].length))}`);
  }
  const m = IMAGE_REFERENCE.exec(value);
  if (!m) {
    // Suggest the same reference with the repository lowercased when that is the only problem.
    const at = value.indexOf('/');
    const domain = at > 0 && /[.:]|^localhost$/.test(value.slice(0, at)) ? value.slice(0, at + 1) : '';
    const rest = value.slice(domain.length);
    const colon = rest.search(/[:@]/);
    const lowered = domain + (colon < 0 ? rest.toLowerCase() : rest.slice(0, colon).toLowerCase() + rest.slice(colon));
    const suggestion = lowered !== value && IMAGE_REFERENCE.test(lowered) ? `write ${JSON.stringify(lowered)} (repository names are lowercase)` : fix;
    fail(scope, prop, value, 'must be a container image reference ([registry/]repository[:tag][@digest], repository lowercase; the kubelet refuses anything else as InvalidImageName)', suggestion);
  }
  if ((m[1] ? m[1].length + 1 : 0) + m[2].length > IMAGE_NAME_MAX) {
    fail(scope, prop, value, `must have a name of at most ${IMAGE_NAME_MAX} characters (distribution/reference NameTotalLengthMax)`, 'use a shorter registry and repository path');
  }
  return value;
}

/**
 * The most an object's annotations may hold together, keys and values: 256 KiB
 * (k8s.io/apimachinery pkg/api/validation/objectmeta.go, `TotalAnnotationSizeLimitB`, checked by
 * `ValidateAnnotationsSize` as the sum of len(key) + len(value)).
 */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** Throws when annotations built from a prop exceed the API server's total; returns them. */
export function checkAnnotationsSize<T extends Record<string, string> | undefined>(scope: IConstruct | string, prop: string, annotations: T): T {
  if (annotations === undefined) return annotations;
  const size = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + Buffer.byteLength(String(v), 'utf8'), 0);
  if (size > ANNOTATIONS_MAX_BYTES) {
    fail(scope, prop, `${size} bytes of annotations`, `must keep the object's annotations within ${ANNOTATIONS_MAX_BYTES} bytes (256 KiB, the API server's limit)`,
      'shorten it to a sentence or two and link to the longer text');
  }
  return annotations;
}
