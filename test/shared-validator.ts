// Where the shared strict validator lives: ../shared beside the clone (CI always has it; a user's
// machine usually not), or the directory named by CDK8S_MESH_SHARED_DIR. Read by test/util.ts and,
// once per run, by test/global-setup.ts.
//
// CDK8S_MESH_SHARED_DIR=/nonexistent npx jest shows what a machine without ../shared sees: the
// tests that need the validator are reported as skipped (jest's "skipped" count), never passed.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The shared directory: CDK8S_MESH_SHARED_DIR when set, else ../shared beside the clone. */
export const SHARED_DIR = process.env.CDK8S_MESH_SHARED_DIR
  ? resolve(process.env.CDK8S_MESH_SHARED_DIR)
  : resolve(__dirname, '..', '..', 'shared');

export const VALIDATOR = resolve(SHARED_DIR, 'tools', 'validate-manifests', 'validate.mjs');

/** Whether the shared validator is available to this run. */
export const SHARED_VALIDATOR_AVAILABLE = existsSync(VALIDATOR);
