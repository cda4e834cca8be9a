// Where the shared strict validator lives: ../shared beside the clone (CI always has it; a user's
// machine usually not). Read by test/util.ts and, once per run, by test/global-setup.ts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const VALIDATOR = resolve(__dirname, '..', '..', 'shared', 'tools', 'validate-manifests', 'validate.mjs');

/** Whether the shared validator is available to this run. */
export const SHARED_VALIDATOR_AVAILABLE = existsSync(VALIDATOR);
