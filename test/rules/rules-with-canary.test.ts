// An app that uses the rule pack together with a CanaryRelease, synthesized as `cdk8s synth` does
// (App.synth(): the shared rendering of src/private/synth-once.ts, where the rule pack, the
// CanaryRelease's checks and the writer read each object's JSON rendered once), and the same app's
// manifests through the cdk8s CLI plugin, in-process.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart, JsonPatch, Yaml } from 'cdk8s';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { CanaryRelease, HeaderMatch, MeshedService, MeshRules } from '../../src';
import { MeshRulesValidation } from '../../src/plugin/validation';
import { REPORT_JSON } from '../../src/rules/engine';

const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** An app with a service in two versions and a canary at 10% with a header override. */
function canaryApp(opts: { rules?: boolean; reportDir?: string } = {}) {
  const outdir = tmp('mesh-canary-rules-');
  const app = new App({ outdir, recordConstructMetadata: true });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const svc = new MeshedService(chart, 'checkout', { image: 'ghcr.io/acme/checkout:1.0.0', port: 8080 });
  svc.addVersion('v2', { image: 'ghcr.io/acme/checkout:1.1.0' });
  const canary = new CanaryRelease(chart, 'canary', { service: svc, canaryVersion: 'v2', canaryWeight: 10, headerOverride: HeaderMatch.exact('x-canary', 'true') });
  const rules = opts.rules === false ? undefined : MeshRules.enable(app, { reportDir: opts.reportDir, printWarnings: false });
  return { app, chart, svc, canary, rules, outdir };
}

/** A VirtualService of the app's own (not a construct of the library) routing to a subset no DestinationRule defines (MESH-VS-003). */
function legacyRouteToUndefinedSubset(chart: Chart): ApiObject {
  return new ApiObject(chart, 'legacy', {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'legacy', namespace: 'shop' },
    spec: { hosts: ['checkout.shop.svc.cluster.local'], gateways: ['shop/legacy-gateway'], http: [{ route: [{ destination: { host: 'checkout.shop.svc.cluster.local', subset: 'v9' } }] }] },
  });
}

function written(outdir: string): any[] {
  return readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).flatMap((f) => Yaml.load(join(outdir, f)));
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return String((e as Error).message);
  }
  throw new Error('expected synth to fail');
}

describe('the rule pack with a CanaryRelease, through App.synth()', () => {
  test('a clean canary app: synth writes the split, the rule pack finds nothing, and reads the objects the writer wrote', () => {
    const reportDir = tmp('mesh-canary-report-');
    const { app, outdir } = canaryApp({ reportDir });
    app.synth();
    const objs = written(outdir);
    const vs = objs.find((o) => o.kind === 'VirtualService');
    expect(vs.spec.http.map((h: any) => h.name)).toEqual(['v2-by-header', 'default']);
    expect(vs.spec.http[1].route).toEqual([
      { destination: { host: 'checkout-v1.shop.svc.cluster.local' }, weight: 90 },
      { destination: { host: 'checkout-v2.shop.svc.cluster.local' }, weight: 10 },
    ]);
    const report = JSON.parse(readFileSync(join(reportDir, REPORT_JSON), 'utf8'));
    expect(report.status).toBe('passed');
    expect(report.findings).toEqual([]);
    // the rule pack judged every object written, no more and no fewer
    expect(report.summary.objects).toBe(objs.length);
    // outside a synth the same app gives the same (empty) findings
    expect(MeshRules.check(app)).toEqual([]);
    // a second synth gives the same output (the shared rendering is undone after each synth)
    const first = readdirSync(outdir).map((f) => readFileSync(join(outdir, f), 'utf8'));
    app.synth();
    expect(readdirSync(outdir).map((f) => readFileSync(join(outdir, f), 'utf8'))).toEqual(first);
  });

  test('a change between two synths is seen by the writer and by the rule pack (nothing rendered in the first synth is reused)', () => {
    const reportDir = tmp('mesh-canary-report-');
    const { app, svc, outdir } = canaryApp({ reportDir });
    app.synth();
    svc.virtualService.addJsonPatch(JsonPatch.add('/spec/http/0/match/0/uri', { regex: '/api/.*' }));
    app.synth();
    const vs = written(outdir).find((o) => o.kind === 'VirtualService');
    expect(vs.spec.http[0].match[0].uri).toEqual({ regex: '/api/.*' });
    const report = JSON.parse(readFileSync(join(reportDir, REPORT_JSON), 'utf8'));
    expect(report.findings.map((f: any) => [f.ruleId, f.object, f.location])).toEqual([['MESH-VS-002', 'VirtualService/shop/checkout', '/spec/http/0/match/0/uri/regex']]);
  });

  test('a rule finding in a canary app fails synth with the rule\'s message, writes nothing, and the report says failed', () => {
    const reportDir = tmp('mesh-canary-report-');
    const { app, chart, outdir } = canaryApp({ reportDir });
    legacyRouteToUndefinedSubset(chart);
    const message = errorOf(() => app.synth());
    expect(message).toContain('shop/legacy (VirtualService/shop/legacy): [MESH-VS-003] subset "v9" of checkout.shop.svc.cluster.local is not defined by its DestinationRule (subsets: none)');
    expect(message).toMatch(/mesh rules: 1 finding\(s\) fail synth/);
    expect(readdirSync(outdir).filter((f) => f.endsWith('.yaml'))).toEqual([]);
    const report = JSON.parse(readFileSync(join(reportDir, REPORT_JSON), 'utf8'));
    expect(report.status).toBe('failed');
    expect(report.findings.map((f: any) => [f.ruleId, f.object])).toEqual([['MESH-VS-003', 'VirtualService/shop/legacy']]);
    // the same findings outside a synth
    expect(MeshRules.check(app).map((f) => [f.ruleId, f.object, f.constructPath])).toEqual([['MESH-VS-003', 'VirtualService/shop/legacy', 'shop/legacy']]);
  });

  test('suppressed, the finding stays in the report and synth writes the canary\'s split', () => {
    const reportDir = tmp('mesh-canary-report-');
    const { app, chart, outdir } = canaryApp({ reportDir });
    MeshRules.suppress(legacyRouteToUndefinedSubset(chart), 'MESH-VS-003', 'the legacy gateway route is removed in SHOP-42');
    app.synth();
    const report = JSON.parse(readFileSync(join(reportDir, REPORT_JSON), 'utf8'));
    expect(report.status).toBe('passed');
    expect(report.findings.map((f: any) => [f.ruleId, f.suppressed])).toEqual([['MESH-VS-003', true]]);
    expect(written(outdir).filter((o) => o.kind === 'VirtualService').map((o) => o.metadata.name).sort()).toEqual(['checkout', 'legacy']);
  });

  test('a JSON patch that sends the canary\'s share to another host: the CanaryRelease and the rule pack both report it, from the same rendered object', () => {
    const { app, svc, outdir } = canaryApp();
    svc.virtualService.addJsonPatch(JsonPatch.replace('/spec/http/1/route/1/destination/host', 'checkout-v3.shop.svc.cluster.local'));
    const message = errorOf(() => app.synth());
    // the CanaryRelease's own check on the rendered VirtualService
    expect(message).toContain('shop/canary: service routes the weighted route to host "checkout-v3.shop.svc.cluster.local", which is none of its versions\' Services');
    // the rule pack on the same rendered object: the destination's Service is not in the app (MESH-VS-006)
    expect(message).toContain('shop/checkout/VirtualService (VirtualService/shop/checkout): [MESH-VS-006] host "checkout-v3.shop.svc.cluster.local" '
      + '(checkout-v3.shop.svc.cluster.local) is not a Service or ServiceEntry visible to namespace shop (at /spec/http/1/route/1/destination/host)');
    expect(readdirSync(outdir).filter((f) => f.endsWith('.yaml'))).toEqual([]);
  });

  test('a canary at 100% (promotion) and one rolled back to 0%: synth passes the rule pack, and the host\'s Service follows the release', () => {
    for (const [weight, primary] of [[100, 'v2'], [0, 'v1']] as const) {
      const outdir = tmp('mesh-canary-rules-');
      const app = new App({ outdir });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const svc = new MeshedService(chart, 'checkout', { image: 'ghcr.io/acme/checkout:1.0.0', port: 8080 });
      svc.addVersion('v2');
      new CanaryRelease(chart, 'canary', { service: svc, canaryVersion: 'v2', canaryWeight: weight });
      MeshRules.enable(app, { warningsAsErrors: true, printWarnings: false });
      app.synth();
      const objs = written(outdir);
      expect(objs.find((o) => o.kind === 'Service' && o.metadata.name === 'checkout').spec.selector).toEqual({ app: 'checkout', version: primary });
      expect(objs.find((o) => o.kind === 'VirtualService').spec.http.at(-1).route).toEqual([{ destination: { host: `checkout-${primary}.shop.svc.cluster.local` } }]);
    }
  });
});

describe('the cdk8s CLI plugin over a canary app\'s manifests (in-process)', () => {
  async function pluginOver(outdir: string) {
    const manifests = readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).map((f) => join(outdir, f));
    const meta = JSON.parse(readFileSync(join(outdir, 'construct-metadata.json'), 'utf8'));
    const metadata = Object.fromEntries(Object.entries(meta.resources).map(([k, v]: [string, any]) => [k, { path: v.path }]));
    const ctx = new ValidationContext(manifests, 'cdk8s-mesh', '0.0.0', metadata, false);
    await new MeshRulesValidation().validate(ctx);
    return ctx.report;
  }

  test('a clean canary app: success, every object counted', async () => {
    const { app, outdir } = canaryApp({ rules: false });
    app.synth();
    const report = await pluginOver(outdir);
    expect(report.success).toBe(true);
    expect(report.toJson().violations).toEqual([]);
    expect(report.toJson().summary.metadata?.objects).toBe(String(written(outdir).length));
  });

  test('the canary app with a route to an undefined subset: failure, the violation names the object, its manifest and construct path', async () => {
    const { app, chart, outdir } = canaryApp({ rules: false });
    legacyRouteToUndefinedSubset(chart);
    app.synth();
    const report = await pluginOver(outdir);
    expect(report.success).toBe(false);
    const violations = report.toJson().violations;
    expect(violations.map((v) => v.ruleName)).toEqual(['[MESH-VS-003] (error) VirtualService routes to a subset that no DestinationRule for the host defines']);
    expect(violations[0].violatingConstructs.map((r) => [r.resourceName, r.constructPath])).toEqual([['legacy', 'shop/legacy']]);
  });
});
