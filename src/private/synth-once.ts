import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MeshRegistry } from './registry';

/**
 * cdk8s validates the whole App once in `app.synth()` and again for every chart it writes
 * (`Chart.toJson()` re-validates the App), so a whole-app check runs 1 + charts times per
 * synth: 21 times for 20 namespaces. Between those passes nothing changes, so the library's
 * checks run once per `app.synth()`/`synthYaml()` and replay their result in the later passes.
 *
 * Outside an App's synth (e.g. `Testing.synth(chart)`, which validates once) every pass
 * computes afresh, so a test that synthesizes, changes the app and synthesizes again always
 * sees the change.
 */
const INSTALLED = Symbol.for('cdk8s-mesh.synthOnce');

/**
 * Adds a validation to `construct` that runs once per synth of its App. @internal
 */
export function addValidationOncePerSynth(construct: IConstruct, validate: () => string[]): void {
  install(construct.node.root);
  construct.node.addValidation({
    validate: () => {
      const window = MeshRegistry.of(construct).synthWindow;
      if (!window) return validate();
      let result = window.results.get(construct);
      if (result === undefined) {
        result = validate();
        window.results.set(construct, result);
      }
      return [...result];
    },
  });
}

/** Marks the App's synth calls so validations inside them are computed once. */
function install(root: IConstruct): void {
  const app = root as any;
  if (app[INSTALLED]) return;
  Object.defineProperty(app, INSTALLED, { value: true });
  for (const method of ['synth', 'synthYaml']) {
    const original = app[method];
    if (typeof original !== 'function') continue;
    const registry = MeshRegistry.of(root);
    app[method] = function synthOnce(this: unknown, ...args: unknown[]) {
      const outer = registry.synthWindow === undefined;
      if (outer) registry.synthWindow = { results: new Map(), cleanups: [] };
      try {
        return original.apply(this, args);
      } finally {
        if (outer) {
          registry.synthWindow!.cleanups.forEach((undo) => undo());
          registry.synthWindow = undefined;
        }
      }
    };
  }
}

/**
 * The JSON of an ApiObject as the synth will write it. Checks that read rendered objects (the
 * rule pack, CanaryRelease) call this instead of `toJson()`: within an App's synth the object
 * is rendered once and the same JSON serves the checks and the writer (cdk8s-plus Deployments
 * are not cheap to render). Outside a synth it is plain `toJson()`. Callers must not mutate it.
 * @internal
 */
export function renderedJson(obj: ApiObject): any {
  const window = MeshRegistry.of(obj).synthWindow;
  if (!window || Object.prototype.hasOwnProperty.call(obj, 'toJson')) return obj.toJson();
  const json = obj.toJson();
  Object.defineProperty(obj, 'toJson', { value: () => json, configurable: true, writable: true });
  window.cleanups.push(() => delete (obj as any).toJson);
  return json;
}
