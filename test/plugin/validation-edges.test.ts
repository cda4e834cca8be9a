// The plugin's own handling of what cdk8s gives it, in-process (the CLI tests in
// validation.test.ts run in a child process, where mutation testing cannot see them): construct
// paths trusted only for unique resource names, suppressed findings logged and left out of the
// violations, one violation per rule, documents that are not objects skipped, suppressions that
// are not objects refused clearly.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { MeshRulesValidation } from '../../src/plugin/validation';

/** A VirtualService for the bare host `*` bound to the mesh (MESH-VS-001, an error). */
const vs = (name: string, namespace: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  hosts: ['*']
  http:
    - route:
        - destination: { host: ${name} }
`;

function context(files: Record<string, string>, metadata: Record<string, { path: string }> = {}): ValidationContext {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-plugin-edges-'));
  const manifests = Object.entries(files).map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  });
  return new ValidationContext(manifests, 'cdk8s-mesh', '0.0.0', metadata, false);
}

async function report(ctx: ValidationContext, props = {}): Promise<any> {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-plugin-edges-report-'));
  await new MeshRulesValidation({ ...props, reportDir: dir }).validate(ctx);
  return JSON.parse(readFileSync(join(dir, 'mesh-rules-report.json'), 'utf8'));
}

describe('MeshRulesValidation: construct paths from cdk8s metadata', () => {
  test('a resource whose name is unique gets its construct path; two of one name get none', async () => {
    const ctx = context(
      { 'a.k8s.yaml': vs('web', 'a') + '---\n' + vs('shared', 'a'), 'b.k8s.yaml': vs('shared', 'b') },
      { web: { path: 'a/web-vs' }, shared: { path: 'a/shared-vs' } },
    );
    const json = await report(ctx);
    const byObject = Object.fromEntries(json.findings.map((f: any) => [f.object, f.constructPath]));
    expect(byObject).toEqual({
      'VirtualService/a/web': 'a/web-vs',
      'VirtualService/a/shared': undefined,
      'VirtualService/b/shared': undefined,
    });
  });

  test('no metadata for a name: no construct path', async () => {
    const json = await report(context({ 'a.k8s.yaml': vs('web', 'a') }), {});
    expect(json.findings.map((f: any) => f.constructPath)).toEqual([undefined]);
  });
});

describe('MeshRulesValidation: what is reported', () => {
  test('one violation per rule, one violating resource per object', async () => {
    const ctx = context({ 'a.k8s.yaml': vs('web', 'a') + '---\n' + vs('api', 'a') });
    await new MeshRulesValidation().validate(ctx);
    const violations = ctx.report.toJson().violations.filter((v) => v.ruleName.startsWith('[MESH-VS-001]'));
    expect(violations).toHaveLength(1);
    expect(violations[0].violatingConstructs.map((c) => c.resourceName).sort()).toEqual(['api', 'web']);
    expect(ctx.report.success).toBe(false);
  });

  test('a suppressed finding is logged, counted, and not a violation', async () => {
    const ctx = context({ 'a.k8s.yaml': vs('web', 'a') });
    const logged: string[] = [];
    (ctx.logger as any).log = (m: string) => logged.push(m);
    await new MeshRulesValidation({
      suppressions: [{ ruleId: 'MESH-VS-001', reason: 'the DestinationRule comes from another repository' }],
    }).validate(ctx);
    const json = ctx.report.toJson();
    expect(json.violations.filter((v) => v.ruleName.startsWith('[MESH-VS-001]'))).toEqual([]);
    expect(json.summary.metadata).toMatchObject({ errors: '0', suppressed: '1' });
    expect(ctx.report.success).toBe(true);
    expect(logged).toEqual(['mesh rules: suppressed [MESH-VS-001] VirtualService/a/web: the DestinationRule comes from another repository']);
  });

  test('documents that are not objects (a scalar, an empty document) are not counted or checked', async () => {
    const ctx = context({ 'a.k8s.yaml': `just a string\n---\n---\n${vs('web', 'a')}` });
    await new MeshRulesValidation().validate(ctx);
    expect(ctx.report.toJson().summary.metadata).toMatchObject({ objects: '1', errors: '1' });
  });
});

describe('MeshRulesValidation: properties from cdk8s.yaml', () => {
  test.each([null, 'MESH-VS-001', 42])('a suppression that is not an object (%p) is refused with its index', (entry) => {
    expect(() => new MeshRulesValidation({ suppressions: [entry as any] }))
      .toThrow(/^cdk8s\.yaml: mesh rules properties\.suppressions\[0\]: ruleId /);
  });

  test('null properties are the defaults', () => {
    expect(() => new MeshRulesValidation(null as any)).not.toThrow();
  });
});
