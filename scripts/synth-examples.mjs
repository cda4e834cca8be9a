// The main job: synthesizes every example app (examples/*/cdk8s.yaml) into dist/<example>/.
// Each example is synthesized into a scratch folder first and moved into dist/ only when its
// synth succeeded, so a failing example never leaves half-written output behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';

// dist/ holds manifests only (the validator reads every *.json there as a manifest): files a synth
// writes beside them that are not manifests (the mesh rules report, cdk8s's construct-metadata.json
// when cdk8s.yaml lists validations) go to dist-reports/<example>/.
const isManifest = (f) => /\.ya?ml$/.test(f);
import { join, resolve } from 'node:path';

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
  const scratch = join(root, '.tmp', 'synth', name);
  rmSync(scratch, { recursive: true, force: true });
  try {
    execFileSync('npx', ['cdk8s', 'synth', '--no-check-upgrade', '--output', scratch], {
      cwd: join(root, 'examples', name),
      stdio: 'inherit',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    const extra = readdirSync(scratch).filter((f) => !isManifest(f));
    if (extra.length) mkdirSync(join(reports, name), { recursive: true });
    for (const f of extra) renameSync(join(scratch, f), join(reports, name, f));
    renameSync(scratch, join(dist, name));
    console.log(`synth: examples/${name} -> dist/${name}/${extra.length ? ` (and ${extra.join(', ')} -> dist-reports/${name}/)` : ''}`);
  } catch {
    failed++;
    console.error(`synth: examples/${name} FAILED`);
  }
}
console.log(`synth: ${examples.length - failed} of ${examples.length} examples synthesized`);
process.exit(failed ? 1 : 0);
