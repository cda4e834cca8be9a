// Files that record-tests.js and sequencer.js share during one Stryker run. They live in the
// sandbox Stryker copies the project into, so runs never see each other's files.
/* eslint-disable */
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
exports.INDEX_FILE = join(ROOT, '.stryker-test-index.ndjson'); // [test file, full test name] per line
exports.BAIL_DIR = join(ROOT, '.stryker-bail'); // one empty file per killed mutant
