import { IConstruct } from 'constructs';

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
const ACTIVE = new WeakMap<IConstruct, Map<IConstruct, string[]>>();
const INSTALLED = Symbol.for('cdk8s-mesh.synthOnce');

/**
 * Adds a validation to `construct` that runs once per synth of its App. @internal
 */
export function addValidationOncePerSynth(construct: IConstruct, validate: () => string[]): void {
  install(construct.node.root);
  construct.node.addValidation({
    validate: () => {
      const memo = ACTIVE.get(construct.node.root);
      if (!memo) return validate();
      let result = memo.get(construct);
      if (result === undefined) {
        result = validate();
        memo.set(construct, result);
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
    app[method] = function synthOnce(this: unknown, ...args: unknown[]) {
      const outer = ACTIVE.has(root);
      if (!outer) ACTIVE.set(root, new Map());
      try {
        return original.apply(this, args);
      } finally {
        if (!outer) ACTIVE.delete(root);
      }
    };
  }
}
