// Runs the rule pack over a set of objects: index once, run every rule, apply suppressions,
// render the report. Shared by MeshRules (in-app) and the cdk8s CLI validation plugin.
import { IConstruct } from 'constructs';
import { ALL_RULES, ruleById } from './all-rules';
import { expandList, isList } from './lists';
import { MeshObjects, refOf } from './mesh-objects';
import { KObject, MeshRule } from './rule';
import { checkReason } from '../private/checks';
import { fail } from '../private/errors';
import { writeFiles } from '../private/files';

/** One object to check and where it came from. */
export interface RuleTarget {
  readonly object: KObject;
  /** The construct path of the ApiObject, when known. */
  readonly constructPath?: string;
  /** The manifest file it is in, when known (plugin mode). */
  readonly manifest?: string;
}

/** A suppression: a rule id, a reason, and optionally the one finding it applies to. */
export interface RuleSuppression {
  readonly ruleId: string;
  readonly reason: string;
  /** `Kind/namespace/name` of an object, or a finding's key (`Kind/namespace/name#/json/pointer`). */
  readonly finding?: string;
  /** Where the suppression was declared (construct path, or `cdk8s.yaml`). */
  readonly source: string;
}

/** A finding, as reported. */
export interface RuleFinding {
  readonly ruleId: string;
  readonly level: 'error' | 'warning';
  readonly info: string;
  readonly message: string;
  readonly fix: string;
  /** `Kind/namespace/name`. */
  readonly object: string;
  readonly constructPath?: string;
  readonly manifest?: string;
  /** JSON pointer inside the object. */
  readonly location: string;
  /** `object#location`: what a suppression's `finding` may name. */
  readonly key: string;
  readonly suppressed: boolean;
  readonly suppressionReason?: string;
  readonly suppressionSource?: string;
}

export interface RuleRun {
  readonly findings: RuleFinding[];
  /** Unsuppressed errors (plus warnings when warnings count as errors): these fail. */
  readonly failures: RuleFinding[];
  readonly objects: number;
  readonly rules: number;
  readonly passed: boolean;
  /** Suppressions that matched no finding (probably stale). */
  readonly unusedSuppressions: RuleSuppression[];
}


/**
 * Runs the rules. `suppressionsOf` gives the suppressions that apply to a target (from its
 * construct and ancestors, or from plugin properties).
 */
export function runRules(
  givenTargets: readonly RuleTarget[],
  givenSuppressionsOf: (t: RuleTarget) => readonly RuleSuppression[],
  options: { warningsAsErrors?: boolean; rules?: readonly MeshRule[]; rootNamespace?: string } = {},
): RuleRun {
  const rules = options.rules ?? ALL_RULES;
  // A `kind: List` is checked as its items, each found where the list was (construct, manifest)
  // and suppressed as the list is.
  const listOf = new Map<RuleTarget, RuleTarget>();
  const targets = givenTargets.flatMap((t) => {
    if (!isList(t.object)) return [t];
    return expandList(t.object).map((object) => {
      const item: RuleTarget = { ...t, object };
      listOf.set(item, t);
      return item;
    });
  });
  const suppressionsOf = (t: RuleTarget) => givenSuppressionsOf(listOf.get(t) ?? t);
  const byObject = new Map<KObject, RuleTarget>();
  for (const t of targets) byObject.set(t.object, t);
  const objects = new MeshObjects(targets.map((t) => t.object), options.rootNamespace);
  const findings: RuleFinding[] = [];
  const used = new Set<RuleSuppression>();
  const allSuppressions = new Set<RuleSuppression>();
  const suppressionCache = new Map<RuleTarget, readonly RuleSuppression[]>();
  const suppressionsFor = (t: RuleTarget) => {
    let s = suppressionCache.get(t);
    if (!s) {
      s = suppressionsOf(t);
      suppressionCache.set(t, s);
    }
    return s;
  };
  for (const t of targets) for (const s of suppressionsFor(t)) allSuppressions.add(s);

  for (const rule of rules) {
    let hits;
    try {
      hits = rule.check(objects);
    } catch (e) {
      // A rule must never crash synth on odd input; if one does, say so as a finding, not a stack trace.
      findings.push({
        ruleId: rule.id,
        level: 'error',
        info: rule.info,
        object: '(all objects)',
        location: '',
        key: '(all objects)',
        suppressed: false,
        message: `the rule could not run: ${(e as Error)?.message ?? e}`,
        fix: 'report this as a cdk8s-mesh bug; suppress the rule meanwhile',
      });
      continue;
    }
    for (const hit of hits) {
      const target = byObject.get(hit.object) ?? { object: hit.object };
      const object = refOf(hit.object);
      const key = `${object}#${hit.location}`;
      const sup = suppressionsFor(target).find((s) => s.ruleId === rule.id && (s.finding === undefined || s.finding === object || s.finding === key));
      if (sup) used.add(sup);
      findings.push({
        ruleId: rule.id,
        level: rule.level,
        info: rule.info,
        message: hit.message,
        fix: hit.fix ?? rule.fix,
        object,
        constructPath: target.constructPath,
        manifest: target.manifest,
        location: hit.location,
        key,
        suppressed: sup !== undefined,
        suppressionReason: sup?.reason,
        suppressionSource: sup?.source,
      });
    }
  }
  const failures = findings.filter((f) => !f.suppressed && (f.level === 'error' || options.warningsAsErrors));
  return {
    findings,
    failures,
    objects: targets.length,
    rules: rules.length,
    passed: failures.length === 0,
    unusedSuppressions: [...allSuppressions].filter((s) => !used.has(s))
      .map((s) => ({ ruleId: s.ruleId, reason: s.reason, finding: s.finding, source: s.source })),
  };
}

/** Where a finding is: construct path (and object), or manifest (and object), or the object. */
export function whereOf(f: RuleFinding): string {
  if (f.constructPath) return `${f.constructPath} (${f.object})`;
  if (f.manifest) return `${f.manifest} (${f.object})`;
  return f.object;
}

/** One line per finding, in the library's message shape: where: [id] what, got value: fix. */
export function formatFinding(f: RuleFinding): string {
  return `${whereOf(f)}: [${f.ruleId}] ${f.message} (at ${f.location || '/'}): ${f.fix}`;
}

/** The JSON report. */
export function reportJson(run: RuleRun): object {
  const count = (pred: (f: RuleFinding) => boolean) => run.findings.filter(pred).length;
  return {
    tool: 'cdk8s-mesh rules',
    status: run.passed ? 'passed' : 'failed',
    summary: {
      objects: run.objects,
      rules: run.rules,
      errors: count((f) => !f.suppressed && f.level === 'error'),
      warnings: count((f) => !f.suppressed && f.level === 'warning'),
      suppressed: count((f) => f.suppressed),
    },
    findings: run.findings,
    unusedSuppressions: run.unusedSuppressions,
  };
}

/** The Markdown report. */
export function reportMarkdown(run: RuleRun): string {
  const j = reportJson(run) as any;
  const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# Mesh rules report',
    '',
    `**${j.status === 'passed' ? 'Passed' : 'FAILED'}**: ${j.summary.errors} error(s), ${j.summary.warnings} warning(s), `
      + `${j.summary.suppressed} suppressed, over ${j.summary.objects} object(s) and ${j.summary.rules} rules.`,
    '',
  ];
  const open = run.findings.filter((f) => !f.suppressed);
  if (open.length) {
    lines.push('## Findings', '', '| level | rule | where | location | message | fix |', '|---|---|---|---|---|---|');
    for (const f of open) lines.push(`| ${f.level} | ${f.ruleId} | ${cell(whereOf(f))} | \`${cell(f.location)}\` | ${cell(f.message)} | ${cell(f.fix)} |`);
    lines.push('');
  }
  const sup = run.findings.filter((f) => f.suppressed);
  if (sup.length) {
    lines.push('## Suppressed', '', '| level | rule | where | message | reason | suppressed at |', '|---|---|---|---|---|---|');
    for (const f of sup) lines.push(`| ${f.level} | ${f.ruleId} | ${cell(whereOf(f))} | ${cell(f.message)} | ${cell(f.suppressionReason)} | ${cell(f.suppressionSource)} |`);
    lines.push('');
  }
  if (run.unusedSuppressions.length) {
    lines.push('## Suppressions that matched nothing', '', '| rule | finding | reason | declared at |', '|---|---|---|---|');
    for (const s of run.unusedSuppressions) lines.push(`| ${s.ruleId} | ${cell(s.finding ?? '(any)')} | ${cell(s.reason)} | ${cell(s.source)} |`);
    lines.push('');
  }
  if (!run.findings.length) lines.push('No findings.', '');
  return lines.join('\n');
}

/**
 * Checks a suppression wherever it is declared (`MeshRules.suppress`, the plugin's
 * `cdk8s.yaml` properties) and returns it with its reason and finding trimmed.
 */
export function checkSuppression(where: IConstruct | string, ruleId: unknown, reason: unknown, finding: unknown, source: string): RuleSuppression {
  if (typeof ruleId !== 'string' || !ruleById(ruleId)) {
    fail(where, 'ruleId', ruleId, 'is not a mesh rule id', `use one of ${ALL_RULES.map((r) => r.id).join(', ')} (see RULES.md)`);
  }
  const why = checkReason(where, 'reason', reason, 'must explain the suppression',
    'say why the finding is acceptable here, e.g. "legacy client matches paths by regex until Q3"');
  if (finding !== undefined && (typeof finding !== 'string' || !finding.trim())) {
    fail(where, 'finding', finding, 'must name an object (Kind/namespace/name) or a finding key', 'copy the key from mesh-rules-report.json, or leave finding out');
  }
  return { ruleId, reason: why, finding: finding?.trim(), source };
}

/** The report's file names. */
export const REPORT_JSON = 'mesh-rules-report.json';
export const REPORT_MD = 'mesh-rules-report.md';

/** Writes `mesh-rules-report.json` and `.md` into a directory; returns the paths. */
export function writeRuleReport(where: IConstruct | string, prop: string, directory: string, run: RuleRun): string[] {
  return writeFiles(where, prop, directory, {
    [REPORT_JSON]: JSON.stringify(reportJson(run), null, 2) + '\n',
    [REPORT_MD]: reportMarkdown(run),
  });
}
