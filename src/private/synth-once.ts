import { mkdirSync } from 'node:fs';
import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { MeshError } from './mesh-error';
import { MeshRegistry, SynthWindow } from './registry';

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
        if (outer) {
          // cdk8s' synth makes the outdir before it validates; so do we, before rendering.
          if (method === 'synth' && typeof app.outdir === 'string') mkdirSync(app.outdir, { recursive: true });
          renderAllFirst(this as IConstruct, registry.synthWindow!);
        }
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
 * Synth is all-or-nothing across charts. cdk8s' `App.synth()` (node_modules/cdk8s/lib/app.js)
 * validates the app, then renders and writes one chart at a time (`Yaml.save` per chart), so a
 * chart whose objects fail to render (a JSON patch to a path that does not exist, a renderer
 * error) threw after the earlier charts' files were on disk. Here every chart is rendered (and the
 * app validated, inside `Chart.toJson()`) before the original synth runs; the original then
 * writes from the same JSON: each chart's `toJson()` and each ApiObject's `toJson()` return what
 * was rendered here for the rest of the synth, so nothing is rendered twice.
 *
 * A render failure comes back as our error naming the object's construct path and the cause.
 */
function renderAllFirst(app: IConstruct, window: SynthWindow): void {
  for (const c of app.node.findAll()) {
    if (ApiObject.isApiObject(c)) memoizeRender(c, window);
  }
  // install() patches only roots that have synth(): cdk8s Apps, which list their charts.
  for (const chart of (app as App).charts) {
    // a toJson() of the chart's own (a user's override) is kept: it is neither wrapped nor removed after the synth
    if (Object.prototype.hasOwnProperty.call(chart, 'toJson')) continue;
    const json = chart.toJson();
    Object.defineProperty(chart, 'toJson', { value: () => json, configurable: true, writable: true });
    window.cleanups.push(() => delete (chart as any).toJson);
  }
}

/** Makes an ApiObject render once within the window, turning a render failure into our error. */
function memoizeRender(obj: ApiObject, window: SynthWindow): void {
  // a toJson() of the object's own (a user's override) is kept, as for charts
  if (Object.prototype.hasOwnProperty.call(obj, 'toJson')) return;
  const render = obj.toJson;
  let json: any;
  let done = false;
  const toJson = () => {
    if (done) return json;
    try {
      json = render.call(obj);
    } catch (e) {
      // cdk8s's ApiObject.toJson() wraps every error, ours too, as `Failed serializing construct at
      // path '…' with name '…': <cause>` (node_modules/cdk8s/lib/api-object.js), so a MeshError
      // thrown while rendering (by any copy of the library) arrives as text: it is thrown again
      // as the MeshError it was, not as a rendering failure with a JSON-patch hint.
      const cause = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).replace(/^Error: Failed serializing construct at path '[^']*' with name '[^']*': /, '');
      if (cause.startsWith('MeshError: ')) throw new MeshError(cause.slice('MeshError: '.length));
      fail(obj, 'rendering', `${obj.kind}/${obj.name}`, `failed (${cause.split('\n')[0]})`,
        'check the JSON patches added to this object with addJsonPatch (a patch path must exist in the rendered object: add the parent first) and the values given to its construct; nothing was written');
    }
    done = true;
    return json;
  };
  Object.defineProperty(obj, 'toJson', { value: toJson, configurable: true, writable: true });
  window.cleanups.push(() => delete (obj as any).toJson);
}

/**
 * The JSON of an ApiObject as the synth will write it. Checks that read rendered objects (the
 * rule pack, CanaryRelease) call this instead of `toJson()`: within an App's synth the object
 * is rendered once and the same JSON serves the checks and the writer (cdk8s-plus Deployments
 * are not cheap to render). Outside a synth it is plain `toJson()`. Callers must not mutate it.
 * @internal
 */
export function renderedJson(obj: ApiObject): any {
  // Within a synth, renderAllFirst has made every ApiObject's toJson() return its one rendering.
  return obj.toJson();
}
