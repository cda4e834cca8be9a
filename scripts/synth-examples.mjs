// The main job: synthesizes every example app (examples/*/cdk8s.yaml) into dist/<example>/.
// Each example is synthesized into a scratch folder first and moved into dist/ only when its
// synth succeeded, so a failing example never leaves half-written output behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(root, 'examples', e.name, 'cdk8s.yaml')))
  .map((e) => e.name)
  .sort();
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
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
    renameSync(scratch, join(dist, name));
    console.log(`synth: examples/${name} -> dist/${name}/`);
  } catch {
    failed++;
    console.error(`synth: examples/${name} FAILED`);
  }
}
console.log(`synth: ${examples.length - failed} of ${examples.length} examples synthesized`);
process.exit(failed ? 1 : 0);
