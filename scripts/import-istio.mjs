// Regenerates imports/ from Istio's CRDs with `cdk8s import` (run by `npx projen import`).
// Only the kinds the library emits are kept, and only their `v1` version: v1beta1 has the same
// schema (one proto), so the library renders v1beta1 objects from the v1 types. jsii then compiles
// what is used and nothing else.
// Needs ../shared beside the clone; the generated TypeScript is committed, the CRD file is not.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

const ISTIO_VERSION = '1.30.3';
const source = join('..', 'shared', 'schemas', 'istio', ISTIO_VERSION, 'crd-all.gen.yaml');
const KINDS = {
  'networking.istio.io': ['VirtualService', 'DestinationRule', 'Sidecar', 'ServiceEntry', 'Gateway'],
  'security.istio.io': ['PeerAuthentication', 'AuthorizationPolicy'],
  'telemetry.istio.io': ['Telemetry'],
};

if (!existsSync(source)) {
  console.error(`import: ${source} not found: run this from a clone with ../shared beside it`);
  process.exit(2);
}
const crds = parseAllDocuments(readFileSync(source, 'utf8'))
  .map((d) => d.toJS())
  .filter((d) => d && d.kind === 'CustomResourceDefinition')
  .filter((d) => (KINDS[d.spec.group] ?? []).includes(d.spec.names.kind))
  .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
  .map((c) => ({ ...c, spec: { ...c.spec, versions: c.spec.versions.filter((v) => v.name === 'v1') } }));
if (crds.some((c) => c.spec.versions.length !== 1)) {
  console.error('import: every kept CRD must serve v1');
  process.exit(2);
}
const wanted = Object.values(KINDS).flat().length;
if (crds.length !== wanted) {
  console.error(`import: expected ${wanted} CRDs, found ${crds.length}`);
  process.exit(2);
}
mkdirSync('.tmp', { recursive: true });
const filtered = join('.tmp', `istio-${ISTIO_VERSION}-crds.yaml`);
writeFileSync(filtered, crds.map((c) => stringify(c)).join('---\n'));
rmSync('imports', { recursive: true, force: true });
execFileSync('npx', ['cdk8s', 'import', filtered, '--output', 'imports', '--language', 'typescript', '--no-check-upgrade'], { stdio: 'inherit' });
console.log(`import: ${crds.length} CRDs from Istio ${ISTIO_VERSION} written to imports/`);
