// Which of the library's checks the tests reach (issue 18). A check is a call, anywhere in src/
// outside the helpers themselves, to `fail` or `problem` (src/private/errors.ts) or to one of the
// `check*` helpers of src/private/checks.ts: each such call refuses one kind of bad input or words
// one finding. The tests run once under jest with test/checks/record-checks.js, which records the
// call site of every message the helpers make; a check no test reaches is listed by file and line.
//
//   node scripts/checks-reached.mjs [--json FILE] [jest test paths...]
//
// Exit code 1 when a check is unreached and the run was over the whole suite.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonOut = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
const testPaths = args;

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const checksTs = join(ROOT, 'src', 'private', 'checks.ts');
const errorsTs = join(ROOT, 'src', 'private', 'errors.ts');
const helperNames = new Set(['fail', 'problem']);
// (the check* helpers; checks.ts also exports predicates such as isImageReference, which refuse nothing)
for (const m of readFileSync(checksTs, 'utf8').matchAll(/^export function (check\w+)/gm)) helperNames.add(m[1]);

// Every call site, with the lines it spans.
const sites = [];
for (const file of walk(join(ROOT, 'src'))) {
  if (file === checksTs || file === errorsTs) continue;
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && helperNames.has(node.expression.text)) {
      const from = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      const to = sf.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      sites.push({ file: relative(ROOT, file), from, to, helper: node.expression.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

const out = join(mkdtempSync(join(tmpdir(), 'checks-reached-')), 'reached.txt');
writeFileSync(out, '');
try {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'jest'), [
    '--ci', '--silent', '--reporters=summary', ...testPaths,
    // last: jest reads the paths after an array option as more of its values
    '--setupFilesAfterEnv', join(ROOT, 'test', 'checks', 'record-checks.js'),
  ], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CHECKS_REACHED_OUT: out } });
} catch {
  console.error('(some tests failed; the count below is over the tests that ran)');
}

const reached = new Map(); // file -> lines seen
for (const line of readFileSync(out, 'utf8').split('\n')) {
  if (!line) continue;
  const i = line.lastIndexOf(':');
  const file = line.slice(0, i);
  if (!reached.has(file)) reached.set(file, new Set());
  reached.get(file).add(Number(line.slice(i + 1)));
}
// A site is reached when a recorded line falls inside it and no narrower site nested in it holds that line.
const isReached = (s) => [...(reached.get(s.file) ?? [])].some((l) => l >= s.from && l <= s.to
  && !sites.some((o) => o !== s && o.file === s.file && o.from >= s.from && o.to <= s.to && (o.to - o.from) < (s.to - s.from) && l >= o.from && l <= o.to));
const unreached = sites.filter((s) => !isReached(s));
const byFolder = {};
for (const s of sites) {
  const folder = s.file.split('/').length > 2 ? s.file.split('/').slice(0, 2).join('/') : 'src';
  byFolder[folder] ??= { checks: 0, reached: 0 };
  byFolder[folder].checks++;
  if (!unreached.includes(s)) byFolder[folder].reached++;
}
console.log(`\nchecks reached: ${sites.length - unreached.length} of ${sites.length}`);
for (const [f, c] of Object.entries(byFolder).sort()) console.log(`  ${f.padEnd(18)} ${c.reached}/${c.checks}`);
if (unreached.length > 0) {
  console.log('\nunreached:');
  for (const s of unreached) console.log(`  ${s.file}:${s.from} ${s.helper}(...)`);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ total: sites.length, reached: sites.length - unreached.length, byFolder, unreached }, null, 2) + '\n');
process.exitCode = unreached.length > 0 && testPaths.length === 0 ? 1 : 0;
