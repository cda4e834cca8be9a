// Every TypeScript block in the docs is a complete program: this compiles each one on its own.
// It extracts every ```ts / ```typescript block of README.md, RULES.md and docs/**/*.md into
// .tmp/doc-blocks/<page>-<n>.ts, type-checks them with tsc (strict, `cdk8s-mesh` resolved to
// src/index.ts, as the examples do), and reports each error at its line in the Markdown file.
//
//   node scripts/check-doc-blocks.mjs      # last line: `doc blocks: N passed, M failed`; exit 1 on failure
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, '.tmp', 'doc-blocks');

/** README.md, RULES.md and every Markdown file under docs/, in a stable order. */
function pages() {
  const found = ['README.md', 'RULES.md'].filter((f) => existsSync(join(root, f)));
  const walk = (dir) => {
    if (!existsSync(join(root, dir))) return;
    for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) found.push(rel);
    }
  };
  walk('docs');
  return found;
}

/** The ```ts and ```typescript blocks of one page, with the line (1-based) of their first code line. */
function blocks(page) {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const result = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let j = i + 1;
    while (j < lines.length && !(lines[j].trim().startsWith(fence) && lines[j].trim().replace(/[`~]/g, '') === '')) j++;
    if (lang === 'ts' || lang === 'typescript') {
      const code = lines.slice(i + 1, j).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
      result.push({ firstLine: i + 2, code });
    }
    i = j;
  }
  return result;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** file name -> { page, n, firstLine } */
const files = new Map();
for (const page of pages()) {
  const name = page.replace(/\.md$/, '').split('/').join('-');
  blocks(page).forEach((b, k) => {
    const file = `${name}-${k + 1}.ts`;
    // A block without imports or exports would be a script sharing one global scope with the
    // others; appending `export {}` makes it a module of its own without moving any line.
    const isModule = b.code.some((l) => /^\s*(import|export)\b/.test(l));
    writeFileSync(join(out, file), `${b.code.join('\n')}\n${isModule ? '' : 'export {};\n'}`);
    files.set(file, { page, n: k + 1, firstLine: b.firstLine });
  });
}

// Standalone (not extending the project's tsconfig): strict, like a user's project. The options
// from the second group are the ones src/ itself needs, since `cdk8s-mesh` resolves to its sources.
const tsconfig = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: 'ES2020',
    module: 'commonjs',
    moduleResolution: 'node',
    esModuleInterop: true,
    skipLibCheck: true,
    lib: ['es2020'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
    baseUrl: root,
    paths: { 'cdk8s-mesh': ['src/index.ts'] },

    experimentalDecorators: true,
    resolveJsonModule: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noImplicitThis: true,
    noFallthroughCasesInSwitch: true,
  },
  include: [...files.keys()],
};
writeFileSync(join(out, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);

if (files.size === 0) {
  console.log('doc blocks: 0 passed, 0 failed');
  process.exit(0);
}

const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(out, 'tsconfig.json'), '--pretty', 'false'], {
  cwd: root,
  encoding: 'utf8',
});
if (tsc.error) {
  console.error(`could not run tsc: ${tsc.error.message}`);
  process.exit(2);
}

const failedBlocks = new Set();
const outside = [];
// tsc --pretty false: `path(line,col): error TSxxxx: message`, continuation lines indented.
let current;
for (const line of `${tsc.stdout}${tsc.stderr}`.split('\n')) {
  const m = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+: .*)$/.exec(line);
  if (m) {
    const [, path, l, c, , message] = m;
    const file = relative(out, resolve(root, path)).split(sep).join('/');
    const block = files.get(file);
    if (block) {
      failedBlocks.add(file);
      current = `${block.page}:${block.firstLine + Number(l) - 1}:${c}: block ${block.n}: ${message}`;
    } else {
      current = `${relative(root, resolve(root, path))}(${l},${c}): ${message}`;
      outside.push(current);
    }
    console.error(current);
  } else if (line.trim() && current) {
    console.error(line);
  } else if (line.trim()) {
    outside.push(line);
    console.error(line);
  }
}

const failed = failedBlocks.size;
const passed = files.size - failed;
if (outside.length) console.error(`${outside.length} error(s) outside the doc blocks (in the sources they import)`);
if (tsc.status !== 0 && failed === 0 && outside.length === 0) console.error(`tsc exited with ${tsc.status}`);
console.log(`doc blocks: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || tsc.status !== 0 ? 1 : 0);
