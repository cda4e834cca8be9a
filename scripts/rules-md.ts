// RULES.md is generated: the table comes from MeshRules.describeRules(), the prose around it is
// the template below. CI runs `--check`, so a rule added or reworded in src/rules/ cannot leave
// RULES.md behind.
//
//   npx tsx scripts/rules-md.ts           # write RULES.md
//   npx tsx scripts/rules-md.ts --check   # exit 1 when RULES.md differs from what would be written
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MeshRuleDescription, MeshRules } from '../src/index';

const FILE = join(__dirname, '..', 'RULES.md');

const INTRO = `# Mesh rules

The rules \`MeshRules.enable(app)\` runs at synth, and the cdk8s CLI plugin runs on any app's manifests (see
[docs/mesh-rules.md](docs/mesh-rules.md)). Every rule reads synthesized objects only, so it judges our constructs,
\`Include\`d YAML and raw \`ApiObject\`s alike. Errors fail synth unless suppressed; warnings are printed and
reported. Ids are stable: a rule that changes meaning gets a new id. The \`istioctl analyze\` column lists the
analyzer codes (IST0101...) a rule mirrors, with the analyzer's semantics, so a finding maps both ways.

<!-- Generated from MeshRules.describeRules() by scripts/rules-md.ts: edit the rules in src/rules/ or the
template in the script, then run \`npx tsx scripts/rules-md.ts\`. -->
`;

const AFTER = `## What the rules read

- Hosts are resolved as Istio does: \`checkout\` in a VirtualService or DestinationRule of namespace \`shop\`
  is \`checkout.shop.svc.cluster.local\`; a name with a dot (\`checkout.shop\`) is taken as written, as istiod does. An object without a namespace is taken to be in \`default\`.
- Pod templates of Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and
  bare Pods. Whether a pod gets the sidecar follows the injection webhook's selectors and the injector's policy:
  a Namespace \`istio-injection=enabled\`, or \`istio.io/rev\` without \`istio-injection\`, injects unless the pod
  says \`sidecar.istio.io/inject: "false"\`; any other \`istio-injection\` value (\`disabled\`) injects nothing, whatever
  the pod says; in a Namespace with neither label only a pod *label* \`sidecar.istio.io/inject: "true"\` (or
  \`istio.io/rev\`) injects, never an annotation alone (unless the IstioOperator sets
  \`sidecarInjectorWebhook.enableNamespacesByDefault\`). \`hostNetwork\` pods and \`kube-system\`, \`kube-public\`,
  \`kube-node-lease\` and \`local-path-storage\` are never injected; a template that already has an \`istio-proxy\`
  container (istioctl kube-inject) is meshed. When the Namespace is not in the app and the pod has no label
  saying "true" or "false", injection is unknown and the rules that depend on it stay quiet rather than guess.
- A \`kind: List\` (or \`<Kind>List\`) is checked as its items, nested lists included, in the app and in the plugin.
- \`proxy.istio.io/config\` is read as JSON or YAML. The mesh root namespace is \`istio-system\` unless an
  IstioOperator in the app sets \`meshConfig.rootNamespace\`.
- MESH-DR-001 and MESH-VS-003 only see what is in the app: a subset whose pods, or a DestinationRule that,
  another app deploys is reported; suppress it with that reason.

## Suppressing

\`\`\`ts
import { App, Chart, Include } from 'cdk8s';
import { MeshedService, MeshRules } from 'cdk8s-mesh';

const app = new App();
MeshRules.enable(app);
const shop = new Chart(app, 'shop', { namespace: 'shop' });
const checkout = new MeshedService(shop, 'checkout', { image: 'ghcr.io/acme/checkout:2.4.1', port: 8080 });
const legacy = new Include(shop, 'legacy', { url: 'legacy-mesh.yaml' });   // hand-written YAML

MeshRules.suppress(checkout, 'MESH-VS-002', 'the legacy client matches versioned paths until Q3');
MeshRules.suppress(legacy, 'MESH-VS-003', 'subset v2 is created by the release pipeline',
  'VirtualService/shop/legacy-web#/spec/http/0/route/0/destination/subset');   // one finding only
app.synth();
\`\`\`

A suppression takes a rule id, a reason of at least 10 characters and optionally one finding (an object
\`Kind/namespace/name\`, or a finding \`key\` from the report). It applies to the construct given and every
object below it. Suppressed findings stay in the report with their reasons; suppressions that match
nothing are listed too, so stale ones get noticed. In the cdk8s CLI plugin, suppressions go in
\`cdk8s.yaml\` under the plugin's \`properties.suppressions\`.
`;

/** One table cell: on one line, with the characters that would end the cell escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

function row(r: MeshRuleDescription): string {
  return `| ${r.id} | ${r.level} | ${r.istioCodes.join(', ') || '–'} | ${cell(r.info)} | ${cell(r.explanation)} | ${cell(r.fix)} |`;
}

/** RULES.md as it should be: the rules in the pack's own order, which is stable. */
export function rulesMarkdown(rules: MeshRuleDescription[] = MeshRules.describeRules()): string {
  const table = [
    '| id | level | istioctl analyze | what | why | fix |',
    '|---|---|---|---|---|---|',
    ...rules.map(row),
  ].join('\n');
  return `${INTRO}\n${table}\n\n${AFTER}`;
}

function main(argv: string[]): number {
  const expected = rulesMarkdown();
  if (argv.includes('--check')) {
    let actual = '';
    try {
      actual = readFileSync(FILE, 'utf8');
    } catch {
      // a missing file is stale too
    }
    if (actual !== expected) {
      console.error('RULES.md is stale: run npx tsx scripts/rules-md.ts');
      return 1;
    }
    console.log('RULES.md is up to date');
    return 0;
  }
  writeFileSync(FILE, expected);
  console.log(`written: RULES.md (${MeshRules.describeRules().length} rules)`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
