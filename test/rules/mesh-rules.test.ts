import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart, Include, Testing } from 'cdk8s';
import { MeshedService, MeshRuleLevel, MeshRules } from '../../src/index';
import { ALL_RULES } from '../../src/rules/all-rules';
import { expectMeshError, Obj, testValidated, validateWithShared } from '../util';

const FIXTURE = join(__dirname, '..', 'fixtures', 'legacy-mesh.yaml');

/** An app whose outdir is `<tmp>/dist`; `reports` is `<tmp>/mesh-reports`, beside it. */
function app(): { app: App; chart: Chart; outdir: string; reports: string } {
  const base = mkdtempSync(join(tmpdir(), 'mesh-rules-'));
  const outdir = join(base, 'dist');
  const a = Testing.app({ outdir });
  return { app: a, chart: new Chart(a, 'shop', { namespace: 'shop' }), outdir, reports: join(base, 'mesh-reports') };
}

/** Synthesizes; returns the error message, or undefined when synth passed. */
function synthError(a: App): string | undefined {
  try {
    a.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function readReport(outdir: string): any {
  return JSON.parse(readFileSync(join(outdir, 'mesh-rules-report.json'), 'utf8'));
}

describe('MeshRules', () => {
  test('our constructs alone pass with zero findings, the report in reportDir says so, the outdir holds only the manifests', () => {
    const { app: a, chart, outdir, reports } = app();
    MeshRules.enable(a, { reportDir: reports });
    const checkout = new MeshedService(chart, 'checkout', { image: 'ghcr.io/acme/checkout:1.0.0', port: 8080 });
    checkout.addVersion('v2');
    new MeshedService(chart, 'payments', { image: 'ghcr.io/acme/payments:1.0.0', port: 9090 });
    expect(MeshRules.check(a)).toEqual([]);
    expect(synthError(a)).toBeUndefined();
    expect(readdirSync(outdir)).toEqual(['shop.k8s.yaml']);
    expect(readdirSync(reports).sort()).toEqual(['mesh-rules-report.json', 'mesh-rules-report.md']);
    const report = readReport(reports);
    expect(report.status).toBe('passed');
    // 18 objects: 2 ServiceAccounts, 4 Services (checkout, its 2 versions', payments), 3 Deployments and their 3 PodDisruptionBudgets,
    // 4 DestinationRules (one per Service host), 2 VirtualServices
    expect(report.summary).toEqual({ objects: 18, rules: ALL_RULES.length, errors: 0, warnings: 0, suppressed: 0 });
    expect(readFileSync(join(reports, 'mesh-rules-report.md'), 'utf8')).toMatchSnapshot();
  });

  test('a mixed app (MeshedService + Include) shows findings on both, with construct paths', () => {
    const { app: a, chart } = app();
    new MeshedService(chart, 'checkout', { image: 'ghcr.io/acme/checkout:1.0.0', port: 8080 });
    // An unmeshed batch job in the namespace the YAML makes STRICT: a finding on our construct.
    new MeshedService(chart, 'batch', { image: 'ghcr.io/acme/batch:1.0.0', port: 8080, injectSidecar: false });
    new Include(chart, 'legacy', { url: FIXTURE });
    const findings = MeshRules.check(a);
    const summary = findings.map((f) => `${f.ruleId} ${f.level} ${f.object} ${f.constructPath}`);
    expect(summary).toEqual([
      'MESH-VS-001 error VirtualService/shop/legacy-catch-all shop/legacy/legacy-catch-all-virtualservice-shop',
      'MESH-VS-002 warning VirtualService/shop/legacy-web shop/legacy/legacy-web-virtualservice-shop',
      'MESH-VS-003 error VirtualService/shop/legacy-web shop/legacy/legacy-web-virtualservice-shop',
      'MESH-HOST-002 warning DestinationRule/shop/checkout-pool shop/legacy/checkout-pool-destinationrule-shop',
      'MESH-INJ-001 warning Deployment/shop/legacy-web shop/legacy/legacy-web-deployment-shop',
      // A client without the sidecar beside STRICT meshed peers (checkout): its calls are refused.
      'MESH-MTLS-001 warning Deployment/shop/batch-v1 shop/batch/Deployment-v1/Resource',
      'MESH-DR-002 warning DestinationRule/shop/checkout-pool shop/legacy/checkout-pool-destinationrule-shop',
      'MESH-SVC-001 warning Service/shop/legacy-web shop/legacy/legacy-web-service-shop',
    ]);
    expect(findings.every((f) => f.suppressed === false)).toBe(true);
    expect(findings.find((f) => f.ruleId === 'MESH-VS-003')?.level).toBe(MeshRuleLevel.ERROR);
  });

  test('a kind: List in an Include is checked as its items, found at the list\'s construct and suppressed with it', () => {
    const { app: a, chart } = app();
    const included = new Include(chart, 'listed', { url: join(__dirname, '..', 'fixtures', 'yaml', 'list.yaml') });
    const findings = MeshRules.check(a);
    expect(findings.map((f) => `${f.ruleId} ${f.level} ${f.object} ${f.constructPath}`)).toEqual([
      `MESH-VS-001 error VirtualService/shop/listed ${included.apiObjects[0].node.path}`,
      // its route goes to `listed`, and no Service `listed` is in namespace shop, whose Services are in the app
      `MESH-VS-006 error VirtualService/shop/listed ${included.apiObjects[0].node.path}`,
      `MESH-SVC-001 warning Service/shop/nested ${included.apiObjects[0].node.path}`,
    ]);
    MeshRules.suppress(included, 'MESH-VS-001', 'the catch-all list is replaced next sprint', 'VirtualService/shop/listed');
    MeshRules.suppress(included, 'MESH-VS-006', 'the listed backend is deployed by the platform team', 'VirtualService/shop/listed');
    expect(MeshRules.check(a).filter((f) => !f.suppressed).map((f) => f.ruleId)).toEqual(['MESH-SVC-001']);
  });

  testValidated('the hand-written fixture is schema-valid (Istio 1.22 and 1.30 CRDs, strict): only the rules see its mistakes', () => {
    const { chart } = app();
    new Include(chart, 'legacy', { url: FIXTURE });
    expect(validateWithShared([Testing.synth(chart) as Obj[]])).toEqual([]);
  });

  test('fails synth listing every error (path, object, id, message, fix), prints warnings, writes the report and no manifest', () => {
    const { app: a, chart, outdir, reports } = app();
    MeshRules.enable(a, { reportDir: reports });
    new MeshedService(chart, 'checkout', { image: 'ghcr.io/acme/checkout:1.0.0', port: 8080 });
    new Include(chart, 'legacy', { url: FIXTURE });
    const warn = jest.spyOn(console, 'error').mockImplementation(() => {});
    let message: string | undefined;
    let printed: string[] = [];
    try {
      message = synthError(a);
      printed = warn.mock.calls.map((c) => String(c[0]));
    } finally {
      warn.mockRestore();
    }
    expect(message).toMatch(/^Validation failed/);
    expect(message).toContain('[MeshRules] shop/legacy/legacy-web-virtualservice-shop (VirtualService/shop/legacy-web): [MESH-VS-003] subset "v2" of legacy-web.shop.svc.cluster.local is used, and no DestinationRule for legacy-web.shop.svc.cluster.local is in the app (at /spec/http/0/route/0/destination/subset): define the subset');
    expect(message).toContain('[MESH-VS-001] host "*" on a VirtualService bound to the mesh, which istiod rejects');
    expect(message).not.toContain('wikipedia'); // Istio's documented egress wildcard is valid
    for (const warning of ['MESH-VS-002', 'MESH-HOST-002', 'MESH-INJ-001']) expect(message).not.toContain(`[${warning}]`); // printed, not failing
    expect(printed.filter((l) => l.startsWith('mesh rules warning:'))).toHaveLength(5);
    expect(message).toContain(`(report: ${join(reports, 'mesh-rules-report.md')})`);
    expect(readdirSync(outdir)).toEqual([]); // cdk8s makes the outdir, then validates before writing
    expect(readdirSync(reports).sort()).toEqual(['mesh-rules-report.json', 'mesh-rules-report.md']);
    const report = readReport(reports);
    expect(report.status).toBe('failed');
    expect(report.summary).toMatchObject({ errors: 2, warnings: 5, suppressed: 0 });
  });

  test('suppressions: on a construct, on one ApiObject, on one finding; they stay in the report with their reasons', () => {
    const { app: a, chart, reports } = app();
    MeshRules.enable(a, { reportDir: reports });
    new MeshedService(chart, 'checkout', { image: 'ghcr.io/acme/checkout:1.0.0', port: 8080 });
    const legacy = new Include(chart, 'legacy', { url: FIXTURE });
    const vs = legacy.apiObjects.find((o) => o.kind === 'VirtualService')!;
    MeshRules.suppress(legacy, 'MESH-INJ-001', 'legacy-web is injected by its namespace label until the migration');
    MeshRules.suppress(legacy, 'MESH-VS-001', 'the catch-all is removed with the legacy router next sprint');
    MeshRules.suppress(vs, 'MESH-VS-003', 'subset v2 is created by the release pipeline', 'VirtualService/shop/legacy-web#/spec/http/0/route/0/destination/subset');
    MeshRules.suppress(chart, 'MESH-CP-001', 'no control plane in this app: stale on purpose');
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(synthError(a)).toBeUndefined();
    } finally {
      quiet.mockRestore();
    }
    const report = readReport(reports);
    expect(report.status).toBe('passed');
    const suppressed = report.findings.filter((f: any) => f.suppressed).map((f: any) => `${f.ruleId} ${f.suppressionReason} @${f.suppressionSource}`);
    expect(suppressed).toEqual([
      'MESH-VS-001 the catch-all is removed with the legacy router next sprint @shop/legacy',
      'MESH-VS-003 subset v2 is created by the release pipeline @shop/legacy/legacy-web-virtualservice-shop',
      'MESH-INJ-001 legacy-web is injected by its namespace label until the migration @shop/legacy',
    ]);
    expect(report.unusedSuppressions.map((s: any) => s.ruleId)).toEqual(['MESH-CP-001']);
    const md = readFileSync(join(reports, 'mesh-rules-report.md'), 'utf8');
    expect(md).toContain('## Suppressed');
    expect(md).toContain('subset v2 is created by the release pipeline');
    expect(md).toMatchSnapshot();
  });

  test('a suppression for another finding does not hide this one', () => {
    const { app: a, chart } = app();
    const legacy = new Include(chart, 'legacy', { url: FIXTURE });
    MeshRules.suppress(legacy, 'MESH-VS-003', 'only the mirror route is expected to miss', 'VirtualService/shop/legacy-web#/spec/http/0/mirror/subset');
    MeshRules.suppress(legacy, 'MESH-INJ-001', 'only the other deployment is affected here', 'Deployment/shop/other');
    const f = MeshRules.check(a);
    expect(f.find((x) => x.ruleId === 'MESH-VS-003')?.suppressed).toBe(false);
    expect(f.find((x) => x.ruleId === 'MESH-INJ-001')?.suppressed).toBe(false);
  });

  test('warningsAsErrors fails on warnings; without reportDir no report is written; enable is idempotent', () => {
    const { app: a, chart, outdir, reports } = app();
    const rules = MeshRules.enable(a, { warningsAsErrors: true });
    expect(MeshRules.enable(a)).toBe(rules);
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'raw' }, spec: { selector: { app: 'raw' }, ports: [{ name: 'web', port: 80 }] } });
    const message = synthError(a);
    expect(message).toMatch(/\[MESH-SVC-001\] port 80 is named "web"/);
    expect(message).not.toContain('(report:');
    expect(readdirSync(outdir)).toEqual([]); // cdk8s makes the outdir, then validates before writing
    expect(existsSync(reports)).toBe(false);
  });

  test('without reportDir a passing synth writes the manifests and nothing else', () => {
    const { app: a, chart, outdir } = app();
    MeshRules.enable(a);
    new MeshedService(chart, 'checkout', { image: 'ghcr.io/acme/checkout:1.0.0', port: 8080 });
    expect(synthError(a)).toBeUndefined();
    expect(readdirSync(outdir)).toEqual(['shop.k8s.yaml']);
    expect(readdirSync(join(outdir, '..'))).toEqual(['dist']);
  });

  test('describeRules lists every rule with a unique id, a level, info, explanation and fix', () => {
    const rules = MeshRules.describeRules();
    expect(rules).toHaveLength(ALL_RULES.length);
    expect(rules.length).toBeGreaterThanOrEqual(19);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.id).toMatch(/^MESH-[A-Z]+-\d{3}$/);
      expect([MeshRuleLevel.ERROR, MeshRuleLevel.WARNING]).toContain(r.level);
      expect(r.info.length).toBeGreaterThan(10);
      expect(r.explanation.length).toBeGreaterThan(50);
      expect(r.fix.length).toBeGreaterThan(10);
      for (const c of r.istioCodes) expect(c).toMatch(/^IST\d{4}$/);
    }
    expect(rules.find((r) => r.id === 'MESH-HOST-001')?.istioCodes).toEqual(['IST0109']);
  });

  test('RULES.md lists every rule with its level', () => {
    const md = readFileSync(join(__dirname, '..', '..', 'RULES.md'), 'utf8');
    for (const r of MeshRules.describeRules()) expect(md).toMatch(new RegExp(`\\| ${r.id} \\| ${r.level} \\| ${r.istioCodes.join(', ') || '–'} \\|`));
  });

  test('fails when a suppression has an unknown rule id', () => {
    const { chart } = app();
    expectMeshError(() => MeshRules.suppress(chart, 'MESH-NOPE-001', 'a long enough reason'), 'shop', /ruleId is not a mesh rule id, got "MESH-NOPE-001": use one of MESH-VS-001/);
  });

  test('fails when a suppression\'s reason is too short', () => {
    const { chart } = app();
    expectMeshError(() => MeshRules.suppress(chart, 'MESH-VS-002', 'because'), 'shop', /reason must explain the suppression in at least 10 characters, got "because"/);
    expectMeshError(() => MeshRules.suppress(chart, 'MESH-VS-002', '          x'), 'shop', /at least 10 characters/);
  });

  test('fails when a suppression names an empty finding', () => {
    const { chart } = app();
    expectMeshError(() => MeshRules.suppress(chart, 'MESH-VS-002', 'a long enough reason', '  '), 'shop', /finding must name an object/);
  });

  test('fails when reportDir is the outdir or inside it', () => {
    const cases = (outdir: string) => [outdir, join(outdir, 'reports'), `${outdir}/./nested/..`];
    for (const pick of [0, 1, 2]) {
      const { app: a, outdir } = app();
      const dir = cases(outdir)[pick];
      expectMeshError(() => MeshRules.enable(a, { reportDir: dir }), 'MeshRules',
        /reportDir is inside the app's outdir ".*", which holds Kubernetes manifests only, got ".*": write reports beside it instead, e\.g\. ".*mesh-reports"/);
    }
  });

  test('fails when reportDir is not a path', () => {
    const { app: a } = app();
    expectMeshError(() => MeshRules.enable(a, { reportDir: ' ' }), 'MeshRules', /reportDir must be a directory path, got " "/);
  });

  test('a reportDir beside the outdir, or one whose name only starts like it, is accepted', () => {
    const { app: a, outdir } = app();
    const dir = `${outdir}-reports`; // <tmp>/dist-reports: not inside <tmp>/dist
    MeshRules.enable(a, { reportDir: dir });
    expect(synthError(a)).toBeUndefined();
    expect(readReport(dir).status).toBe('passed');
    expect(readdirSync(outdir)).toEqual(['shop.k8s.yaml']);
  });
});
