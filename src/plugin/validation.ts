// The mesh rule pack as a cdk8s CLI validation plugin. Not part of the jsii API (not exported
// from src/index.ts): cdk8s loads it by path, e.g. in cdk8s.yaml:
//
//   validations:
//     - package: ./node_modules/cdk8s-mesh/lib/src/plugin/validation.js
//       version: 0.0.0
//       class: MeshRulesValidation
//       properties:
//         suppressions:
//           - { ruleId: MESH-VS-002, reason: "legacy client matches paths by regex", finding: VirtualService/shop/legacy }
//
// The types below are the structural part of cdk8s-cli's `Validation` / `ValidationContext`
// (cdk8s-cli/lib/plugins/validation.d.ts) that the plugin uses, so the package needs no
// runtime or type dependency on cdk8s-cli.
import { dirname } from 'node:path';
import { fail } from '../private/errors';
import { checkReportDir } from '../private/files';
import { ManifestProblem, readManifest } from '../private/manifest-yaml';
import { ALL_RULES } from '../rules/all-rules';
import { checkSuppression, reportJson, RuleFinding, runRules, RuleSuppression, RuleTarget, writeRuleReport } from '../rules/engine';

/** A resource in a violation (cdk8s-cli `ValidationViolatingResource`). */
export interface PluginViolatingResource {
  readonly resourceName: string;
  readonly locations: readonly string[];
  readonly manifestPath: string;
}

/** A violation (cdk8s-cli `ValidationViolation`). */
export interface PluginViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: readonly PluginViolatingResource[];
}

/** What the plugin needs of cdk8s-cli's `ValidationContext`. */
export interface PluginValidationContext {
  readonly manifests: readonly string[];
  readonly metadata?: { readonly [resourceName: string]: { readonly path: string } };
  readonly report: {
    addViolation(violation: PluginViolation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  readonly logger?: { log(message: string): void };
  parseManifest?(manifestPath: string): any[];
}

/** A suppression given in cdk8s.yaml `properties.suppressions`. */
export interface PluginSuppression {
  readonly ruleId: string;
  readonly reason: string;
  /** `Kind/namespace/name`, or a finding key from the report. Default: every finding of the rule. */
  readonly finding?: string;
}

/** `properties` of the plugin in cdk8s.yaml. */
export interface MeshRulesValidationProperties {
  readonly suppressions?: readonly PluginSuppression[];
  /** Fail on unsuppressed warnings too. Default false. */
  readonly warningsAsErrors?: boolean;
  /**
   * Also write `mesh-rules-report.json` / `.md` into this directory, which must be outside the
   * directory the manifests are in. Default: not written (cdk8s prints its own report).
   */
  readonly reportDir?: string;
}

/** The violation for manifests that are not valid YAML (plugin only: in an app, cdk8s parses them). */
export const YAML_RULE = {
  id: 'MESH-YAML-001',
  level: 'error',
  info: 'manifest that is not valid YAML (syntax error, duplicate key, tab indentation)',
  explanation: 'A document the YAML parser rejects is not applied as written: kubectl refuses it, or a lenient reader keeps '
    + 'one of two duplicate keys and drops the other. None of its objects can be checked by the mesh rules either, so '
    + 'the run cannot pass.',
  fix: 'fix the YAML at the line given (indent with spaces, each key once per mapping)',
} as const;

/** Where the plugin's settings come from, for messages. */
const WHERE = 'cdk8s.yaml: mesh rules properties';

/**
 * The cdk8s CLI validation plugin (`Validation`): runs every mesh rule over the synthesized
 * manifests of any cdk8s app. Unsuppressed errors make the report fail, and `cdk8s synth`
 * exit non-zero.
 */
export class MeshRulesValidation {
  private readonly suppressions: RuleSuppression[];
  private readonly warningsAsErrors: boolean;
  private readonly reportDir?: string;

  constructor(properties: MeshRulesValidationProperties = {}) {
    const props = properties ?? {};
    this.warningsAsErrors = props.warningsAsErrors === true;
    this.reportDir = props.reportDir === undefined ? undefined : checkReportDir(WHERE, 'reportDir', props.reportDir, []);
    const list = props.suppressions ?? [];
    if (!Array.isArray(list)) fail(WHERE, 'suppressions', list, 'must be a list', 'write suppressions: [{ ruleId, reason, finding? }]');
    this.suppressions = list.map((s: any, i: number) =>
      checkSuppression(`${WHERE}.suppressions[${i}]`, s?.ruleId, s?.reason, s?.finding, 'cdk8s.yaml'));
  }

  public async validate(context: PluginValidationContext): Promise<void> {
    const docs: { doc: any; manifest: string }[] = [];
    const problems: ManifestProblem[] = [];
    for (const manifest of context.manifests) {
      // Read here rather than with context.parseManifest, to keep the parser's errors and their lines.
      const read = readManifest(manifest);
      problems.push(...read.problems);
      for (const doc of read.docs) {
        if (doc && typeof doc === 'object') docs.push({ doc, manifest });
      }
    }
    // cdk8s records construct paths by resource name only: trust one only when the name is unique.
    const names = new Map<string, number>();
    for (const { doc } of docs) names.set(doc.metadata?.name, (names.get(doc.metadata?.name) ?? 0) + 1);
    const targets: RuleTarget[] = docs.map(({ doc, manifest }) => {
      const name = doc.metadata?.name;
      const path = typeof name === 'string' && names.get(name) === 1 ? context.metadata?.[name]?.path : undefined;
      return { object: doc, manifest, constructPath: path };
    });
    const run = runRules(targets, () => this.suppressions, { warningsAsErrors: this.warningsAsErrors });

    const byRule = new Map<string, RuleFinding[]>();
    for (const f of run.findings) {
      if (f.suppressed) continue;
      const l = byRule.get(f.ruleId);
      if (l) l.push(f); else byRule.set(f.ruleId, [f]);
    }
    for (const rule of ALL_RULES) {
      const findings = byRule.get(rule.id);
      if (!findings) continue;
      // One violating resource per object, with each finding as a location.
      const perObject = new Map<string, { f: RuleFinding; locations: string[] }>();
      for (const f of findings) {
        const k = `${f.manifest}\u0000${f.object}`;
        const e = perObject.get(k) ?? { f, locations: [] };
        e.locations.push(`${f.object} ${f.location || '/'}: ${f.message}`);
        perObject.set(k, e);
      }
      context.report.addViolation({
        ruleName: `[${rule.id}] (${rule.level}) ${rule.info}`,
        recommendation: rule.explanation,
        fix: rule.fix,
        violatingResources: [...perObject.values()].map(({ f, locations }) => ({
          resourceName: f.object.split('/').slice(2).join('/'),
          locations,
          manifestPath: f.manifest ?? '',
        })),
      });
    }
    if (problems.length > 0) {
      const byFile = new Map<string, string[]>();
      for (const p of problems) {
        const l = byFile.get(p.file) ?? [];
        l.push(`${p.file}:${p.line}:${p.column}: ${p.message}`);
        byFile.set(p.file, l);
      }
      context.report.addViolation({
        ruleName: `[${YAML_RULE.id}] (${YAML_RULE.level}) ${YAML_RULE.info}`,
        recommendation: YAML_RULE.explanation,
        fix: YAML_RULE.fix,
        violatingResources: [...byFile].map(([file, locations]) => ({ resourceName: file, locations, manifestPath: file })),
      });
    }
    const summary = reportJson(run) as any;
    if (this.reportDir !== undefined) {
      // The manifests' directory is the app's outdir (or its Helm chart's templates/).
      checkReportDir(WHERE, 'reportDir', this.reportDir, [...new Set(context.manifests.map((m) => dirname(m)))]);
      writeRuleReport(WHERE, 'reportDir', this.reportDir, run);
    }
    for (const f of run.findings.filter((x) => x.suppressed)) {
      context.logger?.log(`mesh rules: suppressed [${f.ruleId}] ${f.object}: ${f.suppressionReason}`);
    }
    context.report.submit(run.passed && problems.length === 0 ? 'success' : 'failure', {
      errors: String(summary.summary.errors + problems.length),
      warnings: String(summary.summary.warnings),
      suppressed: String(summary.summary.suppressed),
      objects: String(summary.summary.objects),
      rules: String(summary.summary.rules),
    });
  }
}
