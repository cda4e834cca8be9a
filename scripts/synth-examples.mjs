// The main job: synthesizes every example app (examples/*/cdk8s.yaml) into dist/<example>/.
// Each example is synthesized into a scratch folder first and moved into dist/ only when its
// synth succeeded, so a failing example never leaves half-written output behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

// dist/ holds manifests only (the validator reads every *.json there as a manifest). The library
// writes no other file there; the examples write their reports to mesh-reports/ beside the outdir,
// and cdk8s itself adds construct-metadata.json to the outdir when cdk8s.yaml lists validations
// (plugin mode). Both go to dist-reports/<example>/. Any other file in the outdir fails the example.
const isManifest = (f) => /\.ya?ml$/.test(f);
const CDK8S_OWN = new Set(['construct-metadata.json']);

const root = resolve(import.meta.dirname, '..');
const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(root, 'examples', e.name, 'cdk8s.yaml')))
  .map((e) => e.name)
  .sort();
const dist = join(root, 'dist');
const reports = join(root, 'dist-reports');
rmSync(dist, { recursive: true, force: true });
rmSync(reports, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
let failed = 0;
for (const name of examples) {
  // <scratch>/dist is the outdir; the example's reports land in <scratch>/mesh-reports.
  const work = join(root, '.tmp', 'synth', name);
  const scratch = join(work, 'dist');
  rmSync(work, { recursive: true, force: true });
  try {
    execFileSync('npx', ['cdk8s', 'synth', '--no-check-upgrade', '--output', scratch], {
      cwd: join(root, 'examples', name),
      stdio: 'inherit',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    const extra = readdirSync(scratch).filter((f) => !isManifest(f)).map((f) => join(scratch, f));
    const stray = extra.map((f) => basename(f)).filter((f) => !CDK8S_OWN.has(f));
    if (stray.length) {
      console.error(`synth: examples/${name} wrote ${stray.join(', ')} into the outdir, which holds Kubernetes manifests only`);
      throw new Error('stray files');
    }
    const reportDir = join(work, 'mesh-reports');
    if (existsSync(reportDir)) extra.push(...readdirSync(reportDir).map((f) => join(reportDir, f)));
    if (extra.length) mkdirSync(join(reports, name), { recursive: true });
    for (const f of extra) renameSync(f, join(reports, name, basename(f)));
    renameSync(scratch, join(dist, name));
    rmSync(work, { recursive: true, force: true });
    console.log(`synth: examples/${name} -> dist/${name}/${extra.length ? ` (and ${extra.map((f) => basename(f)).join(', ')} -> dist-reports/${name}/)` : ''}`);
  } catch {
    failed++;
    console.error(`synth: examples/${name} FAILED`);
  }
}
console.log(`synth: ${examples.length - failed} of ${examples.length} examples synthesized`);
process.exit(failed ? 1 : 0);
