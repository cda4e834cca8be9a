// Mutation testing only: stryker.config.json adds this file to jest's setupFilesAfterEnv, and
// `npm test` never loads it.
// 1. During Stryker's initial run (no mutant active) it records which test file holds each test,
//    under the full name Stryker uses as the test's id. sequencer.js reads that record.
// 2. During a mutant's run it bails: once one test has failed, the mutant is killed, and the rest
//    of its covering tests are skipped (in this file and in the files after it). Stryker wants
//    that (its disableBail option defaults to false), but its jest runner cannot make jest bail
//    from the API, so a killed mutant used to run all of its covering tests, 196 on average in a trial.
/* eslint-disable */
const { appendFileSync, existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { INDEX_FILE, BAIL_DIR } = require('./test-index');

const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
if (mutant === undefined) {
  beforeEach(() => {
    const { currentTestName, testPath } = expect.getState();
    appendFileSync(INDEX_FILE, JSON.stringify([testPath, currentTestName]) + '\n');
  });
} else {
  // jest-circus keeps its state under a private symbol on the test file's global; its
  // testNamePattern is read before each test starts, so a pattern that matches nothing skips the rest.
  const stateKey = Object.getOwnPropertySymbols(globalThis).find((s) => s.description === 'JEST_STATE_SYMBOL');
  const state = stateKey && globalThis[stateKey];
  const marker = join(BAIL_DIR, String(mutant));
  const skipTheRest = () => { if (state) state.testNamePattern = /(?!)/; };
  if (existsSync(marker)) skipTheRest();
  afterEach(() => {
    if (state?.currentlyRunningTest?.errors?.length > 0) {
      mkdirSync(BAIL_DIR, { recursive: true });
      writeFileSync(marker, '');
      skipTheRest();
    }
  });
}
