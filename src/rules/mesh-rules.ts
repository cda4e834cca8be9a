import { ApiObject, App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ALL_RULES } from './all-rules';
import { checkSuppression, formatFinding, REPORT_MD, RuleFinding, RuleRun, runRules, RuleSuppression, RuleTarget, writeRuleReport } from './engine';
import { checkReportDir } from '../private/files';
import { rootNamespaceOf } from '../private/root-namespace';
import { addValidationOncePerSynth, renderedJson } from '../private/synth-once';

/** How serious a rule's findings are. */
export enum MeshRuleLevel {
  /** Fails synth (unless suppressed). */
  ERROR = 'error',
  /** Printed and reported; synth goes on (unless `warningsAsErrors`). */
  WARNING = 'warning',
}

/** Options for `MeshRules.enable`. */
export interface MeshRulesOptions {
  /**
   * Directory to write the report to on every synth, passing or failing:
   * `mesh-rules-report.json` and `mesh-rules-report.md` (status, counts, every finding with its
   * construct path, the suppressions and their reasons). Relative paths are relative to where
   * `cdk8s synth` runs, e.g. `'mesh-reports'`, beside `dist/`.
   *
   * It must be outside the app's outdir: the outdir holds Kubernetes manifests only, because
   * `kubectl apply -f dist/` (and `istioctl analyze`, a GitOps controller) reads every file there
   * as a manifest.
   *
   * @default - no report file: errors fail synth with every finding in the message, and warnings
   * are printed. cdk8s's own validation plugins likewise write a report file only when asked
   * (`cdk8s synth --validation-reports-output-file`).
   */
  readonly reportDir?: string;

  /**
   * Fail synth on unsuppressed warnings too.
   *
   * @default false - warnings are printed and reported, errors fail synth
   */
  readonly warningsAsErrors?: boolean;

  /**
   * Print unsuppressed warnings to stderr during synth.
   *
   * @default true
   */
  readonly printWarnings?: boolean;
}

/** A rule of the pack, as documented in RULES.md. */
export interface MeshRuleDescription {
  /** Stable id, e.g. `MESH-VS-001`. */
  readonly id: string;
  /** Error or warning. */
  readonly level: MeshRuleLevel;
  /** One line: what the rule finds. */
  readonly info: string;
  /** The failure it prevents. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
  /**
   * The `istioctl analyze` codes (e.g. `IST0101`) whose analyzer this rule mirrors, so findings
   * map both ways; empty when the rule has no analyzer counterpart.
   */
  readonly istioCodes: string[];
}

/** A finding of a rule on one object. */
export interface MeshRuleFinding {
  /** The rule's id. */
  readonly ruleId: string;
  /** The rule's level. */
  readonly level: MeshRuleLevel;
  /** What is wrong, with the value found. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** The object, as `Kind/namespace/name`. */
  readonly object: string;
  /** JSON pointer of the offending field in the object. */
  readonly location: string;
  /** `object#location`: what `MeshRules.suppress(..., finding)` may name to suppress this finding only. */
  readonly key: string;
  /**
   * Construct path of the ApiObject.
   *
   * @default - unknown (not from a construct)
   */
  readonly constructPath?: string;
  /** Whether a suppression applies. */
  readonly suppressed: boolean;
  /**
   * The suppression's reason.
   *
   * @default - not suppressed
   */
  readonly suppressionReason?: string;
}

const SUPPRESSIONS = Symbol.for('cdk8s-mesh.MeshRules.suppressions');

interface SuppressionEntry extends RuleSuppression {
  readonly scope: IConstruct;
}

/**
 * The mesh rule pack, run over every object of a cdk8s App at synth: our constructs,
 * `Include`d YAML and raw `ApiObject`s alike (see RULES.md). Turn it on with one line:
 * `MeshRules.enable(app)`.
 *
 * Unsuppressed errors fail synth, listing every finding (construct path, object, rule id,
 * message, fix); no manifest is written. Warnings are printed. With `reportDir`, the report
 * (`mesh-rules-report.json` and `.md`) is written there on every synth, passing or failing
 * (a failing one has `status: failed`); nothing but manifests ever goes to the app's outdir.
 */
export class MeshRules extends Construct {
  /**
   * Runs the rule pack on every synth of `app`. Calling it again returns the same instance
   * (the first call's options stay).
   */
  public static enable(app: App, options: MeshRulesOptions = {}): MeshRules {
    const existing = app.node.tryFindChild(ID);
    if (existing) return existing as MeshRules;
    return new MeshRules(app, options);
  }

  /**
   * Suppresses a rule on a construct (and every object below it) or on one ApiObject. The
   * finding stays in the report, marked suppressed with the reason.
   *
   * @param scope the construct or ApiObject (a MeshedService, an `Include`, a Chart, the App...)
   * @param ruleId the rule id, e.g. `MESH-VS-002`
   * @param reason why this is acceptable here (at least 10 characters: it is read in review)
   * @param finding only this finding: an object `Kind/namespace/name`, or a finding's `key`
   * (`Kind/namespace/name#/json/pointer`). Default: every finding of the rule under `scope`.
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string, finding?: string): void {
    const suppression = checkSuppression(scope, ruleId, reason, finding, scope.node.path || '(app)');
    const root = scope.node.root as any;
    const list: SuppressionEntry[] = root[SUPPRESSIONS] ?? (root[SUPPRESSIONS] = []);
    list.push({ scope, ...suppression });
  }

  /**
   * Runs the rule pack over `app` now and returns every finding (suppressed ones included),
   * without failing or writing anything.
   */
  public static check(app: App): MeshRuleFinding[] {
    return run(app, false).findings.map(toPublic);
  }

  /** Every rule of the pack (RULES.md). */
  public static describeRules(): MeshRuleDescription[] {
    return ALL_RULES.map((r) => ({
      id: r.id,
      level: r.level === 'error' ? MeshRuleLevel.ERROR : MeshRuleLevel.WARNING,
      info: r.info,
      explanation: r.explanation,
      fix: r.fix,
      istioCodes: [...(r.istioCodes ?? [])],
    }));
  }

  /** The options in force. */
  public readonly options: MeshRulesOptions;

  private constructor(app: App, options: MeshRulesOptions) {
    super(app, ID);
    if (options.reportDir !== undefined) checkReportDir(this, 'reportDir', options.reportDir, [app.outdir]);
    this.options = options;
    addValidationOncePerSynth(this, () => this.validateApp(app));
  }

  private validateApp(app: App): string[] {
    const result = run(app, this.options.warningsAsErrors ?? false);
    let report = '';
    if (this.options.reportDir !== undefined) {
      const written = writeRuleReport(this, 'reportDir', this.options.reportDir, result);
      report = ` (report: ${written.find((f) => f.endsWith(REPORT_MD))})`;
    }
    if (this.options.printWarnings ?? true) {
      for (const f of result.findings) {
        if (!f.suppressed && f.level === 'warning' && !result.failures.includes(f)) console.error(`mesh rules warning: ${formatFinding(f)}`);
      }
    }
    if (result.passed) return [];
    return [
      ...result.failures.map(formatFinding),
      `mesh rules: ${result.failures.length} finding(s) fail synth${report}; fix them, or MeshRules.suppress(construct, ruleId, reason) where they are intended`,
    ];
  }
}

const ID = 'MeshRules';

function run(app: App, warningsAsErrors: boolean): RuleRun {
  const objects = app.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const entries: SuppressionEntry[] = (app as any)[SUPPRESSIONS] ?? [];
  const byScope = new Map<IConstruct, SuppressionEntry[]>();
  for (const e of entries) {
    const l = byScope.get(e.scope);
    if (l) l.push(e); else byScope.set(e.scope, [e]);
  }
  const apiObjectOf = new Map<RuleTarget, ApiObject>();
  const targets = objects.map((o) => {
    const t: RuleTarget = { object: renderedJson(o), constructPath: o.node.path };
    apiObjectOf.set(t, o);
    return t;
  });
  const suppressionsOf = (t: RuleTarget): RuleSuppression[] => {
    if (byScope.size === 0) return [];
    const o = apiObjectOf.get(t);
    return o ? o.node.scopes.flatMap((s) => byScope.get(s) ?? []) : [];
  };
  return runRules(targets, suppressionsOf, { warningsAsErrors, rootNamespace: rootNamespaceOf(app).namespace });
}

function toPublic(f: RuleFinding): MeshRuleFinding {
  return {
    ruleId: f.ruleId,
    level: f.level === 'error' ? MeshRuleLevel.ERROR : MeshRuleLevel.WARNING,
    message: f.message,
    fix: f.fix,
    object: f.object,
    location: f.location,
    key: f.key,
    constructPath: f.constructPath,
    suppressed: f.suppressed,
    suppressionReason: f.suppressionReason,
  };
}
