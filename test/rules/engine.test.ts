import * as fc from 'fast-check';
import { deployment, destinationRule, service, virtualService } from './objects';
import { ALL_RULES } from '../../src/rules/all-rules';
import { formatFinding, reportJson, reportMarkdown, runRules, RuleSuppression, RuleTarget } from '../../src/rules/engine';
import { MeshRule } from '../../src/rules/rule';

// Routes to the checkout Service of the app: MESH-VS-006 judges hosts of a namespace whose Services are in the app.
const vsRegex = virtualService('legacy', { hosts: ['legacy'], http: [{ match: [{ uri: { regex: '.*' } }], route: [{ destination: { host: 'checkout' } }] }] });
const badSubset = virtualService('checkout', { hosts: ['checkout'], http: [{ route: [{ destination: { host: 'checkout', subset: 'v9' } }] }] });
// MESH-VS-003 judges a host whose Service (or DestinationRule) is in the app.
const checkoutSvc = service('checkout');

describe('rules engine', () => {
  test('runs every rule once over indexed objects; a clean set passes', () => {
    const run = runRules([deployment('checkout'), service('checkout'), destinationRule('checkout', { host: 'checkout', subsets: [{ name: 'v1', labels: { version: 'v1' } }] })]
      .map((object) => ({ object })), () => []);
    expect(run).toMatchObject({ findings: [], failures: [], objects: 3, rules: ALL_RULES.length, passed: true, unusedSuppressions: [] });
  });

  test('errors fail, warnings do not (unless warningsAsErrors); findings carry where they came from', () => {
    const targets: RuleTarget[] = [{ object: vsRegex, manifest: 'legacy.yaml' }, { object: badSubset, constructPath: 'shop/checkout/VirtualService' }, { object: checkoutSvc }];
    const run = runRules(targets, () => []);
    expect(run.passed).toBe(false);
    expect(run.failures.map((f) => f.ruleId)).toEqual(['MESH-VS-003']);
    expect(run.findings.map(formatFinding)).toEqual([
      'legacy.yaml (VirtualService/shop/legacy): [MESH-VS-002] uri is matched by the regex ".*" (at /spec/http/0/match/0/uri/regex): '
        + 'use an `exact` or `prefix` match; keep a regex only where no prefix expresses the rule, and suppress this finding with the reason',
      'shop/checkout/VirtualService (VirtualService/shop/checkout): [MESH-VS-003] subset "v9" of checkout.shop.svc.cluster.local is used, '
        + 'and no DestinationRule for checkout.shop.svc.cluster.local is in the app (at /spec/http/0/route/0/destination/subset): '
        + 'define the subset in the host\'s DestinationRule (`subsets: [{ name, labels }]`), or route to a subset it defines',
    ]);
    expect(runRules([{ object: vsRegex }], () => [], { warningsAsErrors: true }).passed).toBe(false);
    expect(runRules([{ object: vsRegex }], () => []).passed).toBe(true);
  });

  test('suppressions match by rule, then by object or finding key; unused ones are listed', () => {
    const s = (ruleId: string, finding?: string): RuleSuppression => ({ ruleId, reason: 'a good enough reason', finding, source: 'test' });
    const sups = [s('MESH-VS-003', 'VirtualService/shop/checkout'), s('MESH-VS-002', 'VirtualService/shop/legacy#/spec/http/0/match/0/uri/regex'), s('MESH-CP-001')];
    const run = runRules([{ object: vsRegex }, { object: badSubset }, { object: checkoutSvc }], () => sups);
    expect(run.passed).toBe(true);
    expect(run.findings.map((f) => [f.ruleId, f.suppressed, f.suppressionReason])).toEqual([
      ['MESH-VS-002', true, 'a good enough reason'],
      ['MESH-VS-003', true, 'a good enough reason'],
    ]);
    expect(run.unusedSuppressions).toEqual([{ ruleId: 'MESH-CP-001', reason: 'a good enough reason', finding: undefined, source: 'test' }]);
    // the wrong key suppresses nothing
    expect(runRules([{ object: badSubset }, { object: checkoutSvc }], () => [s('MESH-VS-003', 'VirtualService/shop/checkout#/spec/http/1')]).passed).toBe(false);
  });

  test('a rule that crashes becomes an error finding, not a stack trace', () => {
    const broken: MeshRule = { id: 'MESH-TEST-001', level: 'warning', info: 'i', explanation: 'e', fix: 'f', check: () => { throw new Error('boom'); } };
    const run = runRules([{ object: vsRegex }], () => [], { rules: [broken] });
    expect(run.passed).toBe(false);
    expect(run.findings[0]).toMatchObject({ ruleId: 'MESH-TEST-001', level: 'error', message: 'the rule could not run: boom' });
  });

  test('the JSON and Markdown reports', () => {
    const run = runRules([{ object: vsRegex, manifest: 'a.yaml' }, { object: badSubset }, { object: checkoutSvc }], () => []);
    const json = reportJson(run) as any;
    expect(json).toMatchObject({ tool: 'cdk8s-mesh rules', status: 'failed', summary: { objects: 3, errors: 1, warnings: 1, suppressed: 0 } });
    expect(json.findings[1]).toMatchObject({ key: 'VirtualService/shop/checkout#/spec/http/0/route/0/destination/subset', suppressed: false });
    expect(reportMarkdown(run)).toMatchSnapshot();
  });

  test('property: no rule crashes on arbitrary objects of the kinds it reads', () => {
    const kinds = ['VirtualService', 'DestinationRule', 'ServiceEntry', 'PeerAuthentication', 'IstioOperator', 'Telemetry', 'Service', 'Deployment', 'CronJob', 'Pod', 'Namespace'];
    const groups = ['networking.istio.io/v1', 'security.istio.io/v1', 'install.istio.io/v1alpha1', 'telemetry.istio.io/v1', 'v1', 'apps/v1', 'batch/v1'];
    const obj = fc.record({
      apiVersion: fc.constantFrom(...groups),
      kind: fc.constantFrom(...kinds),
      metadata: fc.oneof(fc.constant(undefined), fc.record({ name: fc.string(), namespace: fc.option(fc.string(), { nil: undefined }) })),
      spec: fc.anything(),
    });
    fc.assert(fc.property(fc.array(obj, { maxLength: 8 }), (objects) => {
      const run = runRules(objects.map((object) => ({ object })), () => []);
      expect(run.findings.filter((f) => f.message.startsWith('the rule could not run'))).toEqual([]);
    }), { numRuns: 300 });
  });
});
