// Summarises Stryker's JSON report (reports/mutation/mutation.json, written by `npx projen mutation`)
// into reports/mutation/summary.md: the score over src/, per folder and per file, and every mutant
// that survived or that no test covers, with its place and replacement. Files never mutated yet
// (a full run may be spread over several sittings) are listed as such.
//
//   node scripts/mutation-summary.mjs [report.json] [summary.md]
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const input = process.argv[2] ?? join(ROOT, 'reports', 'mutation', 'mutation.json');
const output = process.argv[3] ?? join(ROOT, 'reports', 'mutation', 'summary.md');
const report = JSON.parse(readFileSync(input, 'utf8'));

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const tally = () => ({ detected: 0, undetected: 0, ignored: 0, errors: 0 });
const add = (t, status) => {
  if (DETECTED.has(status)) t.detected++;
  else if (UNDETECTED.has(status)) t.undetected++;
  else if (status === 'Ignored') t.ignored++;
  else t.errors++; // CompileError, RuntimeError, Pending
};
const score = (t) => (t.detected + t.undetected === 0 ? '—' : `${((100 * t.detected) / (t.detected + t.undetected)).toFixed(2)} %`);

const files = Object.entries(report.files).map(([name, f]) => [relative(ROOT, join(ROOT, name)).replaceAll('\\', '/'), f]).sort();
const folderOf = (file) => (file.split('/').length > 2 ? file.split('/').slice(0, 2).join('/') : 'src (flat)');
const all = tally();
const folders = new Map();
const rows = [];
const misses = [];
for (const [file, f] of files) {
  const t = tally();
  for (const m of f.mutants) {
    add(t, m.status); add(all, m.status);
    if (UNDETECTED.has(m.status)) {
      const line = f.source.split('\n')[m.location.start.line - 1]?.trim() ?? '';
      misses.push(`| ${file}:${m.location.start.line} | ${m.status} | ${m.mutatorName} | \`${line.slice(0, 90).replaceAll('|', '\\|')}\` → \`${String(m.replacement ?? '').slice(0, 60).replaceAll('\n', ' ').replaceAll('|', '\\|')}\` |`);
    }
  }
  const folder = folderOf(file);
  if (!folders.has(folder)) folders.set(folder, tally());
  const ft = folders.get(folder);
  for (const k of Object.keys(t)) ft[k] += t[k];
  rows.push(`| ${file} | ${score(t)} | ${t.detected} | ${t.undetected} | ${t.ignored} |`);
}

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [relative(ROOT, p)] : [];
  });
}
const measured = new Set(files.map(([f]) => f));
const notYet = walk(join(ROOT, 'src')).filter((f) => !measured.has(f) && f !== 'src/index.ts');

const md = [
  '# Mutation testing: summary',
  '',
  `From \`${relative(ROOT, input)}\` (Stryker ${report.framework?.version ?? ''}, ${report.thresholds ? `thresholds ${report.thresholds.high}/${report.thresholds.low}` : ''}).`,
  'Score = (killed + timed out) / (killed + timed out + survived + no coverage). Ignored mutants',
  '(static code, see stryker.config.json) and mutants that do not compile are not counted.',
  '',
  `**Over the files measured: ${score(all)}** (${all.detected} detected, ${all.undetected} not, ${all.ignored} ignored, ${all.errors} compile/runtime errors).`,
  '',
  '| folder | score | detected | undetected | ignored |',
  '|---|---|---|---|---|',
  ...[...folders].map(([f, t]) => `| ${f} | ${score(t)} | ${t.detected} | ${t.undetected} | ${t.ignored} |`),
  '',
  notYet.length > 0 ? `Not measured yet (${notYet.length} files): ${notYet.join(', ')}.` : 'Every file in src/ (but index.ts) is measured.',
  '',
  '## Per file',
  '',
  '| file | score | detected | undetected | ignored |',
  '|---|---|---|---|---|',
  ...rows,
  '',
  `## Mutants not detected (${misses.length})`,
  '',
  '| where | status | mutator | code → replacement |',
  '|---|---|---|---|',
  ...misses,
  '',
].join('\n');
writeFileSync(output, md);
console.log(`${relative(ROOT, output)}: ${score(all)} over ${files.length} files; ${notYet.length} files not measured yet`);
