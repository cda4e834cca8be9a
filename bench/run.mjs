// Benchmark: synth time and peak memory of a generated mesh, written with cdk8s-mesh (library),
// by hand with cdk8s-plus and literal Istio ApiObjects (baseline), and as plain data dumped to
// YAML (floor). Every run is a fresh Node process. What it measures and the latest figures: bench/README.md.
//
//   node bench/run.mjs                      # N = 1,000 and 4,000, 5 runs each (npx projen bench)
//   node bench/run.mjs --sizes 200 --runs 2 # a quick smoke run
//   node bench/run.mjs --check              # only compare baseline and library output, object by object
//   node bench/run.mjs --profile library@1000  # one run under --cpu-prof, with the top functions
//   node bench/run.mjs --readme             # also write the tables into bench/README.md
//
// Writes bench/results/latest.json and bench/results/latest.md, and prints the table.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const work = join(root, '.tmp', 'bench');
const buildDir = join(work, 'build');
const resultsDir = join(root, 'bench', 'results');
const launcher = join(root, 'bench', 'launch.cjs');
/** Scratch output directories of this run (removed at exit). */
const scratch = new Set();
// Leave no output behind, also when interrupted or when a run fails.
process.on('exit', () => {
  for (const d of scratch) {
    rmSync(d, { recursive: true, force: true });
    rmSync(`${d}.result.json`, { force: true });
  }
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const HELP = `usage: node bench/run.mjs [options]
  --sizes 1000,4000        mesh sizes (services)
  --runs 5                 measured runs per variant and size (medians of these)
  --warmup 1               unmeasured runs per variant and size first
  --variants a,b           library, baseline, floor, library-norules (default: all that apply)
  --namespaces 20          namespaces (one chart, one file each), services spread evenly over them
  --per-namespace K        instead: K services per namespace, so the number of charts grows with N
  --disable canary,talksTo features to leave off in the library (and so in the baseline) even when present
  --check-n 60             size of the baseline/library equivalence check (0: skip)
  --check                  only run the equivalence check
  --profile VARIANT@N      one run under node --cpu-prof; prints the top functions and packages
  --timeout 600            seconds before a single run is abandoned (the benchmark then fails)
  --node-flags "..."       extra flags for every measured process (e.g. --max-old-space-size=8192)
  --readme                 write the tables into bench/README.md (between its bench:results markers)
  --no-build               reuse .tmp/bench/build as it is (experiments only)
  --out DIR                results directory (default bench/results)`;

const args = parseArgs(process.argv.slice(2));
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const sizes = String(args.sizes ?? '1000,4000').split(',').map((s) => Number(s.trim())).filter((s) => s > 0);
const runs = Number(args.runs ?? 5);
const warmup = Number(args.warmup ?? 1);
const namespaces = args['per-namespace'] ? undefined : Number(args.namespaces ?? 20);
const perNamespaceFixed = args['per-namespace'] ? Number(args['per-namespace']) : undefined;
/** Services per namespace at size n: fixed, or n spread over a fixed number of namespaces. */
const perNamespaceAt = (n) => perNamespaceFixed ?? Math.max(1, Math.ceil(n / namespaces));
const checkN = Number(args['check-n'] ?? 60);
const nodeFlags = args['node-flags'] ? String(args['node-flags']).split(/\s+/).filter(Boolean) : [];
const timeoutMs = Number(args.timeout ?? 600) * 1000;
const outDir = args.out ? resolve(String(args.out)) : resultsDir;

// 1. Compile the library and the apps to plain CommonJS once, so every measured process runs
//    JavaScript, as users run the published package (no TypeScript transform inside the timing).
if (args['no-build'] && existsSync(buildDir)) {
  log(`build: reusing ${relative(root, buildDir)} (--no-build)`);
} else {
  const built = build();
  log(`build: ${built.files} files transpiled to ${relative(root, buildDir)} in ${built.ms.toFixed(0)} ms`);
}

// 2. Which features the library has today; the baseline mirrors them.
const disabled = args.disable ? String(args.disable).split(',') : [];
const libraryFeatures = requireBuilt('bench/apps/library.js').detectFeatures(disabled);
log(`library features: ${libraryFeatures.join(', ')}`);

if (args.profile) {
  profile(String(args.profile));
  process.exit(0);
}

const variants = args.variants
  ? String(args.variants).split(',')
  : ['library', 'baseline', 'floor', ...(libraryFeatures.includes('rules') ? ['library-norules'] : [])];

// 3. Is the baseline the same output? Compare object by object at a small size.
const check = checkN > 0 ? equivalence(checkN) : undefined;
if (args.check) process.exit(check && check.differing + check.onlyLibrary + check.onlyBaseline === 0 ? 0 : 1);

// 4. The floor's input: the library's objects at each size, as plain data (untimed).
const floorData = {};
const floorCheck = {};
if (variants.includes('floor')) {
  for (const n of sizes) {
    const file = join(work, `floor-${n}.json`);
    const libOut = freshDir(`lib-${n}`);
    const r = runOnce({ variant: 'library', n, outdir: libOut, dumpFloor: file });
    const floorOut = freshDir(`floor-${n}`);
    runOnce({ variant: 'floor', n, outdir: floorOut, floorData: file });
    floorCheck[n] = sameFiles(libOut, floorOut);
    // Keep what the library writes besides manifests (rule and mesh reports) for inspection.
    if (r.otherFiles.length) {
      const keep = join(outDir, `library-${n}-reports`);
      rmSync(keep, { recursive: true, force: true });
      for (const f of r.otherFiles) {
        mkdirSync(dirname(join(keep, f)), { recursive: true });
        copyFileSync(join(libOut, f), join(keep, f));
      }
      log(`kept the library's other files at N=${n} in ${relative(root, keep)}: ${r.otherFiles.join(', ')}`);
    }
    rmSync(libOut, { recursive: true, force: true });
    rmSync(floorOut, { recursive: true, force: true });
    floorData[n] = file;
    log(`floor data for N=${n}: ${r.objects} objects, ${(statSync(file).size / 1e6).toFixed(1)} MB JSON; floor output identical to library's: ${floorCheck[n]}`);
  }
}

// 5. Measured runs, interleaved (run r of every variant and size before run r+1), so that drift
//    in the machine's load spreads over all variants instead of biasing one.
const load0 = loadavg();
const samples = {};
const totalRuns = (warmup + runs) * sizes.length * variants.length;
let done = 0;
const started = Date.now();
for (let r = 0; r < warmup + runs; r++) {
  for (const n of sizes) {
    for (const variant of variants) {
      const outdir = freshDir(`${variant}-${n}`);
      const res = runOnce({ variant, n, outdir, floorData: floorData[n] });
      rmSync(outdir, { recursive: true, force: true });
      done++;
      if (r >= warmup) ((samples[variant] ??= {})[n] ??= []).push(res);
      progress(`${done}/${totalRuns} ${variant} N=${n}${r < warmup ? ' (warm-up)' : ''}: ${res.totalMs.toFixed(0)} ms, ${res.maxRssMb.toFixed(0)} MB`);
    }
  }
}
const load1 = loadavg();
progress('');

// 6. Summaries, ratios, targets; JSON and Markdown.
const summary = summarize(samples);
const ratios = computeRatios(summary);
const machine = {
  cpu: cpus()[0]?.model?.trim(),
  cores: cpus().length,
  memoryGb: +(totalmem() / 2 ** 30).toFixed(1),
  freeMemoryGb: +(freemem() / 2 ** 30).toFixed(1),
  os: `${platform()} ${release()}`,
  node: process.version,
  loadAverage: { before: load0.map((x) => +x.toFixed(2)), after: load1.map((x) => +x.toFixed(2)) },
};
const result = {
  date: new Date().toISOString(),
  durationSeconds: Math.round((Date.now() - started) / 1000),
  machine,
  config: { sizes, runs, warmup, disabled, namespaces, perNamespace: perNamespaceFixed, variants, nodeFlags, timing: 'in-process hrtime from before loading the code to after the files are written (totalMs); process wall time from spawn to exit (wallMs)' },
  features: summary.library?.[sizes[0]]?.features ?? libraryFeatures,
  check,
  floorIdentical: floorCheck,
  summary,
  ratios,
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
const md = markdown(result);
writeFileSync(join(outDir, 'latest.md'), md);
console.log(`\n${md}`);
console.log(`written: ${relative(root, join(outDir, 'latest.json'))}, ${relative(root, join(outDir, 'latest.md'))}`);
if (args.readme) {
  updateReadme(md);
  console.log('written: bench/README.md (between the bench:results markers)');
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}\n${HELP}`);
    const [k, v] = a.slice(2).split('=', 2);
    if (v !== undefined) out[k] = v;
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[k] = argv[++i];
    else out[k] = true;
  }
  return out;
}

function log(msg) {
  console.log(`bench: ${msg}`);
}

function progress(msg) {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${msg ? `bench: ${msg}` : ''}`);
  else if (msg) log(msg);
}

function build() {
  const t = process.hrtime.bigint();
  const ts = require('typescript');
  rmSync(buildDir, { recursive: true, force: true });
  let files = 0;
  for (const dir of ['src', 'imports', 'bench/apps']) {
    for (const rel of readdirSync(join(root, dir), { recursive: true })) {
      if (!rel.endsWith('.ts') || rel.endsWith('.d.ts')) continue;
      const src = join(root, dir, rel);
      const out = join(buildDir, dir, rel.replace(/\.ts$/, '.js'));
      const js = ts.transpileModule(readFileSync(src, 'utf8'), {
        fileName: src,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, js);
      files++;
    }
  }
  return { files, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

function requireBuilt(rel) {
  return require(join(buildDir, rel));
}

function freshDir(tag) {
  const dir = mkdtempSync(join(tmpdir(), `mesh-bench-${tag}-`));
  scratch.add(dir);
  return dir;
}

function moduleOf(variant) {
  return variant === 'library-norules' ? 'library' : variant;
}

/** One fresh process; returns its report plus the process wall time. */
function runOnce({ variant, n, outdir, floorData, dumpFloor, extraFlags = [] }) {
  const resultFile = join(dirname(outdir), `${relative(dirname(outdir), outdir)}.result.json`);
  const opts = {
    variant,
    module: moduleOf(variant),
    n,
    perNamespace: perNamespaceAt(n),
    outdir,
    buildDir,
    resultFile,
    floorData,
    dumpFloor,
    disable: variant === 'library-norules' ? [...disabled, 'rules'] : disabled,
    mirror: variant === 'baseline' ? libraryFeatures : [],
  };
  const t = process.hrtime.bigint();
  const p = spawnSync(process.execPath, [...nodeFlags, ...extraFlags, launcher, JSON.stringify(opts)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutMs,
    env: { ...process.env, CDK8S_RECORD_CONSTRUCT_METADATA: 'false' },
  });
  const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
  if (p.status !== 0 || !existsSync(resultFile)) {
    console.error(p.stdout);
    console.error(p.stderr);
    throw new Error(`bench: ${variant} N=${n} failed (${p.error?.code === 'ETIMEDOUT' ? `no result after ${timeoutMs / 1000} s: --timeout` : `exit ${p.status ?? p.signal}`})`);
  }
  const res = JSON.parse(readFileSync(resultFile, 'utf8'));
  rmSync(resultFile, { force: true });
  return { ...res, wallMs, output: (p.stdout + p.stderr).trim().split('\n').filter(Boolean).length };
}

/** Byte-compares two output directories (manifests only). */
function sameFiles(a, b) {
  const list = (d) => readdirSync(d).filter((f) => f.endsWith('.k8s.yaml')).sort();
  const fa = list(a);
  const fb = list(b);
  if (fa.join() !== fb.join()) return false;
  return fa.every((f) => readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}

/** Parses every manifest of a directory into { key -> canonical JSON }. */
function objectsOf(dir) {
  const YAML = require('yaml');
  const out = new Map();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.k8s.yaml')).sort()) {
    for (const doc of YAML.parseAllDocuments(readFileSync(join(dir, f), 'utf8'), { version: '1.1' })) {
      const o = doc.toJS();
      if (!o) continue;
      const key = `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
      out.set(out.has(key) ? `${key} #${out.size}` : key, o);
    }
  }
  return out;
}

function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

/** The first path where two values differ. */
function firstDiff(a, b, path = '') {
  if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDiff(a[k], b[k], `${path}/${k}`);
      if (d) return d;
    }
  }
  return `${path || '/'}: library ${JSON.stringify(a)?.slice(0, 160)} vs baseline ${JSON.stringify(b)?.slice(0, 160)}`;
}

function equivalence(n) {
  const libOut = freshDir('check-lib');
  const baseOut = freshDir('check-base');
  runOnce({ variant: 'library', n, outdir: libOut });
  runOnce({ variant: 'baseline', n, outdir: baseOut });
  const lib = objectsOf(libOut);
  const base = objectsOf(baseOut);
  const kinds = {};
  const examples = [];
  let identical = 0;
  let differing = 0;
  let onlyLibrary = 0;
  let onlyBaseline = 0;
  const bump = (kind, field) => { kinds[kind] ??= { identical: 0, differing: 0, onlyLibrary: 0, onlyBaseline: 0 }; kinds[kind][field]++; };
  for (const [key, o] of lib) {
    const kind = key.split(' ')[0];
    if (!base.has(key)) {
      onlyLibrary++;
      bump(kind, 'onlyLibrary');
      if (examples.length < 12) examples.push(`only in library: ${key}`);
      continue;
    }
    const d = firstDiff(o, base.get(key));
    if (d) {
      differing++;
      bump(kind, 'differing');
      if (examples.filter((e) => e.startsWith(kind)).length < 2 && examples.length < 12) examples.push(`${key} ${d}`);
    } else {
      identical++;
      bump(kind, 'identical');
    }
  }
  for (const key of base.keys()) {
    if (!lib.has(key)) {
      onlyBaseline++;
      bump(key.split(' ')[0], 'onlyBaseline');
      if (examples.length < 12) examples.push(`only in baseline: ${key}`);
    }
  }
  const bytesIdentical = sameFiles(libOut, baseOut);
  rmSync(libOut, { recursive: true, force: true });
  rmSync(baseOut, { recursive: true, force: true });
  const ok = differing + onlyLibrary + onlyBaseline === 0;
  log(`check at N=${n}: ${identical} of ${lib.size} library objects identical in the baseline${ok ? '' : `; ${differing} differ, ${onlyLibrary} only in library, ${onlyBaseline} only in baseline`}; files byte-identical: ${bytesIdentical}`);
  for (const e of examples) log(`  ${e}`);
  return { n, identical, differing, onlyLibrary, onlyBaseline, bytesIdentical, kinds, examples };
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median: round(median), min: round(s[0]), max: round(s[s.length - 1]) };
}

function round(x) {
  return Math.round(x * 10) / 10;
}

function summarize(all) {
  const out = {};
  for (const [variant, bySize] of Object.entries(all)) {
    for (const [n, rs] of Object.entries(bySize)) {
      const phaseNames = Object.keys(rs[0].phases);
      (out[variant] ??= {})[n] = {
        runs: rs.length,
        features: rs[0].features,
        totalMs: stats(rs.map((r) => r.totalMs)),
        wallMs: stats(rs.map((r) => r.wallMs)),
        cpuMs: stats(rs.map((r) => r.cpuMs)),
        maxRssMb: stats(rs.map((r) => r.maxRssMb)),
        validateMs: stats(rs.map((r) => r.validateMs)),
        validatePasses: rs[0].validatePasses,
        validateByClass: Object.fromEntries(Object.keys(rs[0].validateByClass ?? {}).map((k) => [k, stats(rs.map((r) => r.validateByClass?.[k] ?? 0)).median])),
        phases: Object.fromEntries(phaseNames.map((p) => [p, stats(rs.map((r) => r.phases[p] ?? 0)).median])),
        objects: rs[0].objects,
        bytes: rs[0].bytes,
        files: rs[0].files,
        otherFiles: rs[0].otherFiles,
        raw: rs.map((r) => ({ totalMs: round(r.totalMs), wallMs: round(r.wallMs), cpuMs: round(r.cpuMs), maxRssMb: round(r.maxRssMb), validateMs: round(r.validateMs), phases: Object.fromEntries(Object.entries(r.phases).map(([k, v]) => [k, round(v)])) })),
      };
    }
  }
  return out;
}

function ratio(a, b) {
  return a !== undefined && b ? Math.round((a / b) * 100) / 100 : undefined;
}

function computeRatios(s) {
  const lib = s.library ?? {};
  const perSize = {};
  for (const n of sizes) {
    const l = lib[n];
    if (!l) continue;
    const b = s.baseline?.[n];
    const f = s.floor?.[n];
    const nr = s['library-norules']?.[n];
    perSize[n] = {
      timeVsBaseline: ratio(l.totalMs.median, b?.totalMs.median),
      wallVsBaseline: ratio(l.wallMs.median, b?.wallMs.median),
      cpuVsBaseline: ratio(l.cpuMs.median, b?.cpuMs.median),
      timeVsFloor: ratio(l.totalMs.median, f?.totalMs.median),
      rssVsBaseline: ratio(l.maxRssMb.median, b?.maxRssMb.median),
      validationShare: ratio(l.validateMs.median, l.totalMs.median),
      // From CPU time: the difference of two wall times on a shared machine is mostly noise.
      rulesShare: nr ? ratio(l.cpuMs.median - nr.cpuMs.median, l.cpuMs.median) : undefined,
    };
  }
  const growth = {};
  const [lo, hi] = [Math.min(...sizes), Math.max(...sizes)];
  if (hi > lo) {
    for (const [variant, bySize] of Object.entries(s)) {
      if (bySize[lo] && bySize[hi]) growth[variant] = { from: lo, to: hi, time: ratio(bySize[hi].totalMs.median, bySize[lo].totalMs.median), rss: ratio(bySize[hi].maxRssMb.median, bySize[lo].maxRssMb.median) };
    }
  }
  // Targets (issue 8): judged at N = 1,000 where measured, else at the smallest size.
  const at = sizes.includes(1000) ? 1000 : lo;
  const r = perSize[at] ?? {};
  const growthLimit = round(4.4 * (hi / lo) / 4);
  const targets = [
    { target: `time <= 1.25x baseline at N=${at}`, value: r.timeVsBaseline, ok: r.timeVsBaseline === undefined ? undefined : r.timeVsBaseline <= 1.25 },
    { target: `time <= 3x floor at N=${at}`, value: r.timeVsFloor, ok: r.timeVsFloor === undefined ? undefined : r.timeVsFloor <= 3 },
    ...(hi > lo ? [{ target: `growth ${lo}->${hi} <= ${growthLimit}x`, value: growth.library?.time, ok: growth.library ? growth.library.time <= growthLimit : undefined }] : []),
    ...sizes.filter((n) => perSize[n]?.rssVsBaseline !== undefined).map((n) => ({
      target: `peak RSS <= 1.5x baseline at N=${n}`, value: perSize[n].rssVsBaseline, ok: perSize[n].rssVsBaseline <= 1.5,
    })),
  ];
  return { perSize, growth, targets };
}

function fmtRange(st, digits = 0) {
  return `${st.median.toFixed(digits)} (${st.min.toFixed(digits)}–${st.max.toFixed(digits)})`;
}

function fmtRatio(x) {
  return x === undefined ? '–' : `${x.toFixed(2)}×`;
}

function markdown(res) {
  const L = [];
  const m = res.machine;
  L.push(`Measured ${res.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu} (${m.cores} cores), ${m.memoryGb} GB, ${m.os}, Node ${m.node}; ` +
    `load average ${m.loadAverage.before[0]} before, ${m.loadAverage.after[0]} after. ` +
    `${res.config.runs} runs per cell after ${res.config.warmup} warm-up, fresh process each; ${res.config.namespaces ? `services spread over ${res.config.namespaces} namespaces` : `${res.config.perNamespace} services per namespace`} (one chart each). ` +
    `Library features on: ${res.features.join(', ')}.`);
  const busy = Math.max(m.loadAverage.before[0], m.loadAverage.after[0]);
  if (busy > m.cores / 2) {
    L.push('');
    L.push(`**The machine was busy** (load average up to ${busy} on ${m.cores} cores): wall times include waiting for a core and their ratios are unreliable; the CPU-time column and ratio are the better signal. Rerun on a quiet machine for the figures that count.`);
  }
  L.push('');
  L.push('| N | variant | time ms, median (min–max) | process wall ms | process CPU ms | peak RSS MB | objects | in validations ms (app passes) | phases (median ms) |');
  L.push('|---:|---|---:|---:|---:|---:|---:|---:|---|');
  for (const n of res.config.sizes) {
    for (const v of res.config.variants) {
      const c = res.summary[v]?.[n];
      if (!c) continue;
      const phases = Object.entries(c.phases).map(([k, x]) => `${k} ${x.toFixed(0)}`).join(', ');
      L.push(`| ${n.toLocaleString('en-US')} | ${v} | ${fmtRange(c.totalMs)} | ${fmtRange(c.wallMs)} | ${fmtRange(c.cpuMs)} | ${fmtRange(c.maxRssMb)} | ${c.objects.toLocaleString('en-US')} | ${v === 'floor' ? '–' : `${c.validateMs.median.toFixed(0)} (${c.validatePasses})`} | ${phases} |`);
    }
  }
  L.push('');
  L.push('| N | library / baseline time | library / baseline CPU | library / floor time | library / baseline peak RSS | share in validations | share in rules (CPU, vs library-norules) |');
  L.push('|---:|---:|---:|---:|---:|---:|---:|');
  for (const [n, r] of Object.entries(res.ratios.perSize)) {
    const pct = (x) => (x === undefined ? '–' : `${(x * 100).toFixed(0)}%`);
    L.push(`| ${Number(n).toLocaleString('en-US')} | ${fmtRatio(r.timeVsBaseline)} | ${fmtRatio(r.cpuVsBaseline)} | ${fmtRatio(r.timeVsFloor)} | ${fmtRatio(r.rssVsBaseline)} | ${pct(r.validationShare)} | ${pct(r.rulesShare)} |`);
  }
  if (Object.keys(res.ratios.growth).length) {
    L.push('');
    L.push('| variant | time growth | peak RSS growth |');
    L.push('|---|---:|---:|');
    for (const [v, g] of Object.entries(res.ratios.growth)) L.push(`| ${v} (${g.from.toLocaleString('en-US')} → ${g.to.toLocaleString('en-US')}) | ${fmtRatio(g.time)} | ${fmtRatio(g.rss)} |`);
  }
  L.push('');
  L.push('| target | measured | met |');
  L.push('|---|---:|:---:|');
  for (const t of res.ratios.targets) L.push(`| ${t.target} | ${fmtRatio(t.value)} | ${t.ok === undefined ? '–' : t.ok ? 'yes' : '**no**'} |`);
  L.push('');
  if (res.check) {
    const c = res.check;
    if (c.differing + c.onlyLibrary + c.onlyBaseline) {
      L.push('**The baseline does not write the same objects as the library** (below): the ratios compare different outputs. Align bench/apps/baseline.ts (`node bench/run.mjs --check` lists the differences).');
      L.push('');
    }
    L.push(`Same output: at N=${c.n}, ${c.identical} of ${c.identical + c.differing + c.onlyLibrary} library objects are identical in the baseline` +
      `${c.differing + c.onlyLibrary + c.onlyBaseline ? ` (${c.differing} differ, ${c.onlyLibrary} only in library, ${c.onlyBaseline} only in baseline)` : ''}` +
      `; files byte-identical: ${c.bytesIdentical ? 'yes' : 'no'}. ` +
      `Floor output byte-identical to the library's: ${Object.values(res.floorIdentical).every(Boolean) ? 'yes' : 'no'}.`);
    L.push('');
  }
  return `${L.join('\n')}\n`;
}

/** Replaces the figures in bench/README.md (between its bench:results markers) with these. */
function updateReadme(md) {
  const file = join(root, 'bench', 'README.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- bench:results -->';
  const end = '<!-- /bench:results -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`bench/README.md has no ${start} ... ${end} block`);
  writeFileSync(file, `${text.slice(0, i + start.length)}\n${md}${text.slice(j)}`);
}

/** One run under the V8 CPU profiler; prints self time by function and by package. */
function profile(spec) {
  const [variant, nText] = spec.split('@');
  const n = Number(nText ?? sizes[0]);
  const dir = join(work, 'prof');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let floorFile;
  if (variant === 'floor') {
    floorFile = join(work, `floor-${n}.json`);
    const o = freshDir('prof-prep');
    runOnce({ variant: 'library', n, outdir: o, dumpFloor: floorFile });
    rmSync(o, { recursive: true, force: true });
  }
  const outdir = freshDir(`prof-${variant}`);
  const res = runOnce({ variant, n, outdir, floorData: floorFile, extraFlags: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200'] });
  rmSync(outdir, { recursive: true, force: true });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const self = new Map();
  for (let i = 0; i < prof.samples.length; i++) {
    const nd = byId.get(prof.samples[i]);
    self.set(nd, (self.get(nd) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fnKey = (cf) => `${cf.functionName || '(anonymous)'} ${shortUrl(cf.url)}:${cf.lineNumber + 1}`;
  const byFn = new Map();
  const byPkg = new Map();
  for (const [nd, ms] of self) {
    const k = fnKey(nd.callFrame);
    byFn.set(k, (byFn.get(k) ?? 0) + ms);
    const p = packageOf(nd.callFrame);
    byPkg.set(p, (byPkg.get(p) ?? 0) + ms);
  }
  const top = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
  log(`profile ${variant} N=${n}: ${res.totalMs.toFixed(0)} ms in process (phases ${JSON.stringify(res.phases)}), ${total.toFixed(0)} ms sampled; profile: ${relative(root, join(dir, file))}`);
  console.log('\nself time by package:');
  for (const [k, ms] of top(byPkg, 20)) console.log(`  ${ms.toFixed(0).padStart(7)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${k}`);
  console.log('\nself time by function (top 30):');
  for (const [k, ms] of top(byFn, 30)) console.log(`  ${ms.toFixed(0).padStart(7)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${k}`);
}

function shortUrl(url) {
  if (!url) return '';
  const p = url.replace(/^file:\/\//, '');
  return p.startsWith(root) ? relative(root, p).replace(/^\.tmp\/bench\/build\//, '') : p;
}

function packageOf(cf) {
  const u = shortUrl(cf.url);
  if (!u) return cf.functionName === '(garbage collector)' ? '(garbage collector)' : cf.functionName.startsWith('(') ? cf.functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/node_modules\/((?:@[^/]+\/)?[^/]+))?/.exec(u);
  if (nm) return nm[2] ? `${nm[1]} > ${nm[2]}` : nm[1];
  if (u.startsWith('node:')) return 'node internals';
  const dir = u.split('/')[0];
  return dir === 'bench' ? 'bench app' : dir === 'src' ? 'cdk8s-mesh src/' : dir === 'imports' ? 'cdk8s-mesh imports/' : dir;
}
