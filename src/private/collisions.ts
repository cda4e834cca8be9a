import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { problem } from './errors';
import { addValidationOncePerSynth, renderedJson } from './synth-once';

const INSTALLED = Symbol.for('cdk8s-mesh.objectCollisions');

/**
 * Refuses two objects of one kind with one namespace and name, anywhere in the App (two hosts
 * that normalise to one object name, a per-version Service named like another service, one
 * host in two charts): `kubectl apply` would keep only the last, silently. Installed once per
 * App by the constructs that derive names; runs once per synth over every ApiObject. @internal
 */
export function refuseObjectCollisions(scope: IConstruct): void {
  const root = scope.node.root as any;
  if (root[INSTALLED]) return;
  Object.defineProperty(root, INSTALLED, { value: true });
  addValidationOncePerSynth(scope.node.root, () => collisions(scope.node.root));
}

function collisions(root: IConstruct): string[] {
  const seen = new Map<string, ApiObject>();
  const errors: string[] = [];
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const group = c.apiVersion.includes('/') ? c.apiVersion.split('/')[0] : '';
    let ns: unknown = c.metadata.namespace;
    if (ns !== undefined && typeof ns !== 'string') ns = renderedJson(c).metadata?.namespace; // resolved at synth (the root namespace)
    const key = `${group}/${c.kind}/${ns ?? ''}/${c.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, c);
      continue;
    }
    errors.push(problem(c, 'name', c.name,
      `makes a second ${c.kind} ${ns ? `${ns}/` : ''}${c.name}, already written by ${first.node.path}: kubectl apply would keep only the last one applied`,
      'give one of the constructs another name (a service name, an ExternalService host, a version label), or put it in another namespace'));
  }
  return errors;
}
