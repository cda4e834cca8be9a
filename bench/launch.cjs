// One benchmark run in a fresh process: `node bench/launch.cjs '<options JSON>'` (started by
// bench/run.mjs). Plain CommonJS on purpose: nothing is loaded before the clock starts except
// this file, and the app module (which loads the library, cdk8s and cdk8s-plus) is required
// after it, so `total` covers loading the code, building the construct tree, synth and writing.
'use strict';
const t0 = process.hrtime.bigint();
const fs = require('node:fs');
const path = require('node:path');

const opts = JSON.parse(process.argv[2]);
let validateNs = 0n;
let validatePasses = 0;
const validateByClass = {};
let captured;

if (opts.module !== 'floor') {
  // Time the validations (node.addValidation: the library's whole-app checks, and any rule pack
  // that runs as one) by wrapping the method cdk8s calls on every construct. Constructs without
  // validations pass straight through, so the wrapper costs next to nothing; time is kept per
  // class of the construct that carries the validation. `validatePasses` counts how often cdk8s
  // validated the whole app in one synth (it does so once, plus once per chart it writes).
  const { Node } = require('constructs');
  const validate = Node.prototype.validate;
  Node.prototype.validate = function timedValidate() {
    if (!this.scope) validatePasses++;
    if (!this._validations || this._validations.length === 0) return validate.call(this);
    const start = process.hrtime.bigint();
    try {
      return validate.call(this);
    } finally {
      const ns = process.hrtime.bigint() - start;
      validateNs += ns;
      const cls = this.host?.constructor?.name ?? '?';
      validateByClass[cls] = (validateByClass[cls] ?? 0n) + ns;
    }
  };
}
if (opts.dumpFloor) {
  // Untimed preparation for the floor: keep exactly what cdk8s writes, file by file.
  const { Yaml } = require('cdk8s');
  const save = Yaml.save;
  captured = [];
  Yaml.save = function capture(filePath, docs) {
    captured.push({ file: path.relative(opts.outdir, filePath), docs });
    return save.call(this, filePath, docs);
  };
}

const app = require(path.join(opts.buildDir, 'bench', 'apps', `${opts.module}.js`));
const tLoaded = process.hrtime.bigint();
const report = app.run(opts);
const tEnd = process.hrtime.bigint();
const usage = process.resourceUsage();
const heapUsed = process.memoryUsage().heapUsed;

// Untimed from here: count what was written.
let objects = 0;
let bytes = 0;
const manifests = [];
const otherFiles = [];
for (const entry of fs.readdirSync(opts.outdir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const file = path.join(entry.parentPath ?? entry.path, entry.name);
  const rel = path.relative(opts.outdir, file);
  if (!rel.endsWith('.k8s.yaml')) {
    otherFiles.push(rel);
    continue;
  }
  const text = fs.readFileSync(file, 'utf8');
  bytes += Buffer.byteLength(text);
  if (text.trim()) objects += text.split(/^---$/m).length;
  manifests.push(rel);
}
if (captured) fs.writeFileSync(opts.dumpFloor, JSON.stringify({ files: captured }));

const ms = (ns) => Number(ns) / 1e6;
const result = {
  variant: opts.variant,
  n: opts.n,
  features: report.features,
  totalMs: ms(tEnd - t0),
  phases: { load: ms(tLoaded - t0), ...report.phases },
  validateMs: opts.module === 'floor' ? 0 : ms(validateNs),
  validatePasses,
  validateByClass: Object.fromEntries(Object.entries(validateByClass).map(([k, v]) => [k, ms(v)])),
  // CPU time of the whole process (all threads, start-up included): steadier than wall time on
  // a busy machine, since waiting for a core does not count.
  cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
  maxRssMb: usage.maxRSS / 1024,
  heapUsedMb: heapUsed / 1024 / 1024,
  objects,
  bytes,
  files: manifests.length,
  otherFiles: otherFiles.sort(),
};
fs.writeFileSync(opts.resultFile, JSON.stringify(result));
