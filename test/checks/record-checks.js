// Used only by scripts/checks-reached.mjs (passed to jest as --setupFilesAfterEnv; `npm test`
// never loads it). Wraps the two error helpers every check goes through (src/private/errors.ts:
// `fail` throws, `problem` words a message for a validation or a rule), and records where in src/
// each call came from: the first stack frame outside errors.ts and checks.ts, so a `checkInt(...)`
// call site counts as the check, not checkInt's own body.
/* eslint-disable */
const { appendFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const OUT = process.env.CHECKS_REACHED_OUT;
const errors = require(join(ROOT, 'src', 'private', 'errors'));
const HELPERS = /[\\/]src[\\/]private[\\/](errors|checks)\.ts:/;

function site() {
  const frames = String(new Error().stack).split('\n').slice(1);
  for (const f of frames) {
    const m = /\(?((?:\/|[A-Za-z]:)[^():]+\.ts):(\d+):\d+\)?$/.exec(f.trim());
    if (!m || HELPERS.test(`${m[1]}:`) || !m[1].startsWith(join(ROOT, 'src'))) continue;
    return `${relative(ROOT, m[1])}:${m[2]}`;
  }
  return undefined;
}

for (const name of ['fail', 'problem']) {
  const original = errors[name];
  errors[name] = function recorded(...args) {
    const where = site();
    if (where && OUT) appendFileSync(OUT, where + '\n');
    return original.apply(this, args);
  };
}
