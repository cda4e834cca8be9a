// Mutation testing only. Stryker's jest runner runs a mutant's covering tests by passing their names
// as jest's --testNamePattern, but jest still loads every test file to find them: with the whole
// library and cdk8s-plus-27 imported by each of 67 files, that was ~15 s per mutant. This sequencer
// keeps only the files that hold a test the pattern selects (the index comes from record-tests.js
// during the initial run). The tests that run are the same; only files with none to run are skipped.
/* eslint-disable */
const { existsSync, readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;
const { INDEX_FILE } = require('./test-index');

let index; // test file -> full test names

function loadIndex() {
  if (index || !existsSync(INDEX_FILE)) return index;
  index = new Map();
  for (const line of readFileSync(INDEX_FILE, 'utf8').split('\n')) {
    if (!line) continue;
    const [file, name] = JSON.parse(line);
    if (!index.has(file)) index.set(file, []);
    index.get(file).push(name);
  }
  return index;
}

class MutantSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.pattern = options.globalConfig.testNamePattern;
  }

  sort(tests) {
    const sorted = super.sort(tests);
    const idx = this.pattern && process.env.__STRYKER_ACTIVE_MUTANT__ !== undefined ? loadIndex() : undefined;
    if (!idx) return sorted;
    const re = new RegExp(this.pattern, 'i'); // as jest matches testNamePattern
    const kept = sorted.filter((t) => !idx.has(t.path) || idx.get(t.path).some((n) => re.test(n)));
    // Quickest files first (jest's order is slowest first, to balance workers; a mutant's run has
    // one worker and stops at its first failing test, see record-tests.js).
    return (kept.length > 0 ? kept : sorted).reverse();
  }
}

module.exports = MutantSequencer;
