import { IConstruct } from 'constructs';
import { MeshError } from './mesh-error';

/**
 * The one message shape for every check in the library: constructor checks, whole-app
 * validations and rules all say where, what, the value received, the rule and the fix.
 *
 * `checkout: port must be an integer from 1 to 65535, got 70000: set port to the container's listening port`
 */
export function problem(scope: IConstruct | string, prop: string, value: unknown, rule: string, fix: string): string {
  const where = typeof scope === 'string' ? scope : scope.node.path;
  return `${where}: ${prop} ${rule}, got ${show(value)}: ${fix}`;
}

/** Throws a {@link MeshError} with the message of {@link problem}. */
export function fail(scope: IConstruct | string, prop: string, value: unknown, rule: string, fix: string): never {
  throw new MeshError(problem(scope, prop, value, rule, fix));
}

/** Renders a received value for a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
