import { cdk8s, javascript, JsonFile, release } from 'projen';

// The single source of truth for every generated project file. Edit here, then `npx projen`.

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-mesh',
  description: 'Istio service mesh constructs for cdk8s: meshed services, canaries, staged mTLS and a tuned control plane, with safe defaults and synth-time checks.',
  author: 'cdk8s-mesh maintainers',
  authorAddress: 'maintainers@cdk8s-mesh.dev',
  repositoryUrl: 'https://github.com/cdk8s-mesh/cdk8s-mesh.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'istio', 'service-mesh', 'kubernetes', 'envoy', 'mtls', 'canary'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  // 0.x: the API may still change between minor versions (jsii's stability marker, shown on Construct Hub).
  stability: 'experimental',

  // cdk8s 2.x explicitly: projen's default is cdk8s 1.
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.4.2',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.3',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  // Not jsii: bundled into the package. re2js is Google RE2 ported to JavaScript (no native code,
  // no dependencies): it decides whether a regex is valid RE2, as Envoy and istiod compile it.
  bundledDeps: ['re2js@^2.10.0'],
  devDeps: [
    'cdk8s-plus-27@^2.9.5',
    'cdk8s-cli@^2.207.60',
    'tsx@^4.20.0',
    'fast-check@^4.3.0',
    'yaml@^2.8.0',
    'projen@0.103.25',
    'dpdm@^4.3.0',
    'publint@^0.3.12',
    '@stryker-mutator/core@9.3.0',
    '@stryker-mutator/jest-runner@9.3.0',
    '@swc/core@1.16.22',
    '@swc/jest@0.2.39',
  ],

  // Only npm is published for now. The other jsii targets (Python, Java, .NET, Go) are set in
  // package.json's `jsii.targets` below, not through projen's publishToPypi/... options, because those
  // also add release jobs for registries nobody has an account on yet. `pacmak:check` proves the API
  // translates to every one of them (Construct Hub builds these languages from the npm package).
  releaseToNpm: true,
  npmTokenSecret: 'NPM_TOKEN',

  // jsii compiles src/ and the generated Istio classes in imports/ together.
  srcdir: 'src',
  entrypoint: 'lib/src/index.js',
  entrypointTypes: 'lib/src/index.d.ts',
  tsconfig: {
    compilerOptions: { rootDir: '.' },
    include: ['src/**/*.ts', 'imports/**/*.ts'],
  },
  // dist/ holds the synthesized example manifests; packages go elsewhere.
  artifactsDirectory: 'dist-pkg',

  jestOptions: {
    // A changed snapshot fails `npm test` until it is updated on purpose (`npm run test:update`).
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Says once per run (not once per file) that tests needing ../shared are skipped here.
      globalSetup: '<rootDir>/test/global-setup.ts',
      // Property tests draw the same inputs every run unless FC_SEED says otherwise.
      setupFiles: ['<rootDir>/test/fast-check-seed.ts'],
      collectCoverage: false,
      testTimeout: 60_000,
      // Stryker's sandboxes hold a copy of the project (and of package.json).
      modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'scripts'],
    ignorePatterns: ['imports/', '*.js', '*.d.ts', 'node_modules/', 'dist/', 'lib/'],
    // Lint reports, it never rewrites files (projen's default runs --fix, also inside `npm test`).
    commandOptions: { fix: false },
  },

  // Release as cdk8s-plus does: on every push to main, .github/workflows/release.yml builds and
  // tests, bumps the version from the conventional commits since the last tag (0.x: a breaking
  // change bumps the minor and a feature the patch), writes the changelog (the GitHub release's notes), tags the release
  // and publishes the npm tarball with the NPM_TOKEN secret. build.yml builds pull requests.
  // `npx projen release` is the same up to, not including, publishing. `bash .ci/run` stays the
  // full check (it needs ../shared, which GitHub runners do not have).
  github: true,
  githubOptions: { mergify: false },
  release: true,
  releaseTrigger: release.ReleaseTrigger.continuous(),
  // commit-and-tag-version 13 needs Node.js 22; 12 runs on the Node.js 20 this project supports,
  // so `npx projen release` works on a developer's machine too.
  bumpPackage: 'commit-and-tag-version@^12',
  // The first release is 0.1.0 (with no tag yet, projen would release the 0.0.0 in package.json);
  // after that the commits decide.
  // (node, not `test`: projen's task shell has its own, limited `test`.)
  nextVersionCommand: 'node -e "if (process.env.VERSION === \'0.0.0\') console.log(\'0.1.0\')"',
  // The workflows run on a maintained Node.js LTS (20 is past its end of life); the package supports 20+.
  workflowNodeVersion: '22.x',
  buildWorkflow: true,
  // A pull request whose build changes tracked files fails (no bot pushes fixes to the branch).
  buildWorkflowOptions: { mutableBuild: false },
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  docgen: true,
  gitignore: ['/node_modules', '/dist/', '/dist-reports/', '/dist-pkg/', '/bench/results/', '.tmp/'],
});

// Tests, examples and benches are type-checked against the sources; `cdk8s-mesh` resolves to src/.
// (test/tsconfig.json is projen's dev tsconfig: paths in it are relative to test/.)
project.tsconfigDev.file.addOverride('compilerOptions.rootDir', '..');
project.tsconfigDev.file.addOverride('compilerOptions.baseUrl', '..');
project.tsconfigDev.file.addOverride('compilerOptions.paths', { 'cdk8s-mesh': ['src/index.ts'] });
project.tsconfigDev.file.addOverride('include', [
  '../src/**/*.ts', '../imports/**/*.ts', '**/*.ts', '../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts',
]);
project.package.addField('types', 'lib/src/index.d.ts');
// jsii writes CommonJS; saying so spares Node.js the guess (publint's suggestion).
project.package.addField('type', 'commonjs');
// projen's publish jobs download the build artifact into dist/ (the directory publib reads), while
// the steps after it, generated from artifactsDirectory, read dist-pkg/: point the download, the
// permission restore and publib at dist-pkg/ too (dist/ is this repository's synth output).
const releaseWorkflow = project.github!.tryFindWorkflow('release')!.file!;
for (const job of ['release_github', 'release_npm']) {
  releaseWorkflow.addOverride(`jobs.${job}.steps.1.with.path`, 'dist-pkg');
  releaseWorkflow.addOverride(`jobs.${job}.steps.2.run`, 'cd dist-pkg && setfacl --restore=permissions-backup.acl');
}
releaseWorkflow.addOverride('jobs.release_npm.steps.9.run', 'npx -p publib@latest publib-npm dist-pkg/js');
// The checks of .ci/run that need neither ../shared nor a toolchain, on every pull request.
project.buildWorkflow!.addPostBuildSteps(
  { name: 'No import cycles in src/', run: 'npx projen cycles' },
  { name: 'Documentation code blocks compile', run: 'npx projen docs:check' },
  { name: 'RULES.md is up to date', run: 'npx projen rules:check' },
  { name: 'The API translates to Python, Java, .NET and Go', run: 'npx projen pacmak:check' },
  { name: 'Every example synthesizes', run: 'npm run synth' },
);

// The jsii targets other than npm (see releaseToNpm above): configured, checked by `pacmak:check`,
// not published.
project.package.file.addOverride('jsii.targets', {
  python: { distName: 'cdk8s-mesh', module: 'cdk8s_mesh' },
  java: { package: 'dev.cdk8smesh', maven: { groupId: 'dev.cdk8s-mesh', artifactId: 'cdk8s-mesh' } },
  dotnet: { namespace: 'Cdk8sMesh', packageId: 'Cdk8sMesh' },
  go: { moduleName: 'github.com/cdk8s-mesh/cdk8s-mesh-go' },
});

// Examples import the library by its package name; tsc (typecheck) resolves it through paths.
project.eslint?.addOverride({ files: ['examples/**/*.ts'], rules: { 'import/no-unresolved': 'off' } });
// No import cycles in src/ (type-only imports are where two features meet: they do not count).
project.eslint?.addRules({ 'import/no-cycle': ['error', { ignoreExternal: true }] });

project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, examples, benchmarks and scripts against the sources',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});
project.compileTask.spawn(typecheck);
// The package entry exports exactly the jsii assembly's names: nothing internal is importable.
project.compileTask.exec('node scripts/check-exports.mjs');

project.addTask('cycles', {
  description: 'Fail on any import cycle in src/ (dpdm, type-only imports excluded)',
  exec: 'dpdm -T --no-tree --no-warning --exit-code circular:1 src/index.ts',
});

project.addTask('docs:check', {
  description: 'Type-check every TypeScript block of README.md, docs/ and RULES.md as a program of its own',
  exec: 'node scripts/check-doc-blocks.mjs',
});

project.addTask('rules:md', {
  description: 'Regenerate RULES.md from MeshRules.describeRules()',
  exec: 'tsx scripts/rules-md.ts',
});

project.addTask('rules:check', {
  description: 'Fail when RULES.md differs from what MeshRules.describeRules() generates',
  exec: 'tsx scripts/rules-md.ts --check',
});

// Regenerate imports/ from the Istio CRDs (developers only: needs ../shared). The output is committed.
project.addTask('import', {
  description: 'Regenerate imports/ from ../shared/schemas/istio/1.30.3/crd-all.gen.yaml (networking, security, telemetry)',
  exec: 'node scripts/import-istio.mjs',
});

// The main job: synthesize every example app into dist/<example>/.
// It compiles first: the mesh-rules example loads the compiled cdk8s CLI plugin from lib/.
const synthTask = project.addTask('synth', {
  description: 'Compile, then synthesize every example in examples/ into dist/<example>/',
});
synthTask.spawn(project.compileTask);
synthTask.exec('node scripts/synth-examples.mjs');

project.addTask('validate', {
  description: 'Run the shared strict validator on dist/ (needs ../shared beside the clone)',
  exec: 'node ../shared/tools/validate-manifests/validate.mjs dist',
});

project.addTask('bench', {
  description: 'Benchmark synth time and memory against a hand-written baseline and a YAML floor',
  exec: 'node bench/run.mjs',
});

project.addTask('bench:graph', {
  description: 'Per-proxy clusters with and without Sidecar scoping for a 1,000-service mesh (writes the mesh report)',
  exec: 'tsx bench/graph-scale.ts',
});

// Mutation testing (issue 18): Stryker with the jest runner over src/ (never imports/), not part of
// .ci/run. Per-test coverage and both cores keep it within reach on 2-core machines; incremental
// mode (the incremental file is committed) reruns only the mutants whose code or tests changed, so
// a full run may be spread over several sittings: `npx projen mutation -- --mutate 'src/graph/**/*.ts'`.
// Stryker 9.3 (the 9.4+ and 10.x lines need @inquirer packages this registry mirror lacks).
// StringLiteral mutants are excluded: the tests assert error messages as substrings, so a changed
// message string is caught only where a test matches that exact text, and these mutants would
// measure message wording, not behaviour. Tests that run the library in a child process (the
// examples synth, the plugin through cdk8s-cli) are invisible to Stryker.
new JsonFile(project, 'stryker.config.json', {
  marker: false, // Stryker refuses unknown keys such as projen's "//" marker
  obj: {
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    testRunner: 'jest',
    // Same tests, compiled by swc instead of ts-jest: the instrumented sources are transpiled, not
    // type-checked again (npm run compile and the test tsconfig check the types).
    jest: {
      projectType: 'custom',
      enableFindRelatedTests: false,
      config: {
        transform: { '^.+\\.[t]sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
        reporters: ['default'],
        // Each mutant loads only the test files that hold its covering tests (test/stryker/).
        setupFilesAfterEnv: ['<rootDir>/test/stryker/record-tests.js'],
        testSequencer: '<rootDir>/test/stryker/sequencer.js',
      },
    },
    coverageAnalysis: 'perTest',
    // Static mutants (module-level constants) run the whole suite each: in a trial on
    // src/header-match.ts, 14% of the mutants took 72% of the time. Their code is covered by
    // every test that imports the module; they are left out and counted as such in the report.
    ignoreStatic: true,
    mutate: ['src/**/*.ts', '!src/index.ts'],
    mutator: { excludedMutations: ['StringLiteral'] },
    concurrency: 2,
    incremental: true,
    incrementalFile: 'reports/mutation/stryker-incremental.json',
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: 'reports/mutation/mutation.html' },
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    tempDirName: '.stryker-tmp',
    ignorePatterns: ['dist', 'dist-pkg', 'dist-reports', 'lib', '.tmp', '.jsii', 'bench/results', 'reports'],
    timeoutMS: 60000,
  },
});
project.gitignore.exclude('.stryker-tmp/', '.stryker-test-index.ndjson', '.stryker-bail/', '/reports/mutation/*.html', '/reports/mutation/mutation.json');
// Committed: the incremental file (reruns test only what changed) and summary.md (scores, survivors).
project.addTask('mutation', {
  description: 'Mutation testing of src/ with Stryker (slow: run it by folder with --mutate; incremental)',
  exec: 'stryker run',
  receiveArgs: true,
});

project.addTask('mutation:summary', {
  description: 'Score per folder and file, and the surviving mutants, from the last mutation run (reports/mutation/summary.md)',
  exec: 'node scripts/mutation-summary.mjs',
});
project.addTask('checks:reached', {
  description: 'Run the tests and list the checks (fail/problem/check* call sites in src/) that no test reaches',
  exec: 'node scripts/checks-reached.mjs',
  receiveArgs: true,
});

project.addTask('pacmak:check', {
  description: 'Check that the API translates to every jsii language (code only; no toolchains needed)',
  exec: 'jsii-pacmak --code-only --targets python,java,dotnet,go -o .tmp/pacmak',
  env: { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
});

// Language packages need toolchains this project does not install; `package` builds the npm
// tarball everywhere, and `pacmak:check` checks the other languages' code.
const pkg = project.tasks.tryFind('package')!;
pkg.reset();
pkg.spawn(project.tasks.tryFind('package:js')!);
// publint lints the tarball as npm would publish it (entry points, types, files); errors fail the package.
pkg.exec('publint run dist-pkg/js/*.tgz');

// The tarball holds what a user needs: lib/ (compiled .js and .d.ts of src/ and imports/), .jsii
// (the assembly jsii-pacmak and Construct Hub read), README, API.md, RULES.md, docs/ and LICENSE.
// Not the raw imports/*.ts: jsii needs only the compiled files and the assembly.
project.npmignore?.exclude('/imports/', '/examples/', '/bench/', '/scripts/', '/.ci/', '/dist/', '/dist-reports/', '/CONTRIBUTING.md', '/test-reports/', '/.tmp/', '/reports/');
// jsii-pacmak appends its outdir to .npmignore unless a line reads exactly `dist-pkg` (the relative
// path, no slashes): that append is what changed .npmignore on every `npx projen package`.
project.npmignore?.exclude('dist-pkg');

project.synth();
