// Checks that the package entry exports exactly the jsii assembly's types: every name
// `src/index.ts` exports (values and types) must be a type in `.jsii`, so nothing internal is
// importable by TypeScript users. Run after `jsii` (the compile task runs it).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const ts = createRequire(import.meta.url)('typescript');
const assembly = JSON.parse(readFileSync(join(root, '.jsii'), 'utf8'));
const jsiiNames = new Set(Object.values(assembly.types ?? {}).filter((t) => !t.namespace).map((t) => t.name));

const entry = join(root, 'src', 'index.ts');
const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true });
const checker = program.getTypeChecker();
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry))).map((s) => s.getName()).sort();

const extra = exported.filter((n) => !jsiiNames.has(n));
const missing = [...jsiiNames].filter((n) => !exported.includes(n)).sort();
if (extra.length) console.error(`exports: ${extra.length} name(s) exported from src/index.ts are not in the jsii assembly (internal, or not jsii-compatible): ${extra.join(', ')}`);
if (missing.length) console.error(`exports: ${missing.length} jsii type(s) are not exported by name from src/index.ts: ${missing.join(', ')}`);
console.log(`exports: ${exported.length} names exported, ${extra.length} beyond the jsii assembly, ${missing.length} missing`);
process.exit(extra.length || missing.length ? 1 : 0);
