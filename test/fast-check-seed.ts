// Runs before every test file (jest setupFiles). Property tests draw the same inputs on every run,
// so a run that passed passes again on any machine and a failure can be replayed; the generators
// are wide instead. FC_SEED=<n> draws other inputs; FC_SEED=random a new seed each run (fast-check
// prints it with any counterexample). A test that passes its own seed keeps it.
import * as fc from 'fast-check';

const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20261203 });
