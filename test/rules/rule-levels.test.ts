// Every rule's failing case, run through the engine (what MeshRules and the plugin run): each
// finding carries the rule's id and its level. A level changed by mistake (an error turned into a
// warning no longer fails synth) fails here. Istio's analyzer fixtures give most failing cases;
// small inputs give the rest.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Yaml } from 'cdk8s';
import { deployment, destinationRule, goodOperator, istioOperator, namespaceObject, peerAuthentication, service, telemetry, virtualService } from './objects';
import { ALL_RULES } from '../../src/rules/all-rules';
import { runRules } from '../../src/rules/engine';
import { KObject } from '../../src/rules/rule';

/** The level of each rule, as RULES.md documents it. */
const LEVELS: Record<string, 'error' | 'warning'> = {
  'MESH-VS-001': 'error',
  'MESH-VS-002': 'warning',
  'MESH-VS-003': 'error',
  'MESH-VS-004': 'warning',
  'MESH-VS-005': 'error',
  'MESH-VS-006': 'error',
  'MESH-VS-007': 'warning',
  'MESH-VS-008': 'warning',
  'MESH-VS-009': 'warning',
  'MESH-SPLIT-001': 'warning',
  'MESH-DR-001': 'error',
  'MESH-HOST-001': 'error',
  'MESH-HOST-002': 'warning',
  'MESH-INJ-001': 'warning',
  'MESH-ANN-001': 'warning',
  'MESH-ANN-002': 'error',
  'MESH-ANN-003': 'warning',
  'MESH-INJ-002': 'warning',
  'MESH-INJ-003': 'warning',
  'MESH-MTLS-001': 'warning',
  'MESH-MTLS-002': 'error',
  'MESH-PROXY-001': 'error',
  'MESH-DR-002': 'warning',
  'MESH-DR-003': 'warning',
  'MESH-DR-004': 'warning',
  'MESH-TEL-001': 'error',
  'MESH-TEL-002': 'warning',
  'MESH-TEL-003': 'error',
  'MESH-TEL-004': 'warning',
  'MESH-PROXY-002': 'warning',
  'MESH-SVC-001': 'warning',
  'MESH-SVC-002': 'warning',
  'MESH-SVC-003': 'warning',
  'MESH-SVC-004': 'warning',
  'MESH-POD-001': 'warning',
  'MESH-POD-002': 'warning',
  'MESH-POD-003': 'error',
  'MESH-CP-001': 'warning',
  'MESH-CP-002': 'error',
  'MESH-CP-003': 'warning',
};

const FIXTURES = join(__dirname, '..', 'fixtures');
const ISTIO = join(FIXTURES, 'istio-analyzers');

/** Failing inputs for the rules Istio's fixtures and legacy-mesh.yaml do not reach. */
const SMALL: Record<string, KObject[]> = {
  'MESH-VS-004': [virtualService('shop', { hosts: ['*.shop.svc.cluster.local'] })],
  'MESH-SPLIT-001': [
    service('reviews'),
    deployment('reviews-v1', { labels: { app: 'reviews', version: 'v1' } }),
    deployment('reviews-v2', { labels: { app: 'reviews', version: 'v2' } }),
    destinationRule('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] }),
    virtualService('reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 90 }, { destination: { host: 'reviews', subset: 'v2' }, weight: 10 }] }] }),
  ],
  'MESH-DR-001': [
    service('checkout'), deployment('checkout'),
    destinationRule('checkout', { host: 'checkout', subsets: [{ name: 'v2', labels: { version: 'v2' } }] }),
  ],
  'MESH-HOST-002': [
    destinationRule('checkout', { host: 'checkout', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }),
    destinationRule('checkout-2', { host: 'checkout', subsets: [{ name: 'v1', labels: { version: 'one' } }] }),
  ],
  'MESH-MTLS-001': [
    peerAuthentication('default', { mtls: { mode: 'STRICT' } }),
    deployment('checkout'),
    deployment('batch', { labels: { 'app': 'batch', 'sidecar.istio.io/inject': 'false' } }),
  ],
  'MESH-MTLS-002': [peerAuthentication('default', { mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'DISABLE' } } })],
  'MESH-PROXY-001': [deployment('checkout', { annotations: { 'proxy.istio.io/config': '{"concurrency":0}' } })],
  'MESH-TEL-001': [telemetry('mesh-default', { tracing: [{ randomSamplingPercentage: -1 }] })],
  'MESH-TEL-002': [telemetry('mesh-default', { tracing: [{ randomSamplingPercentage: 100 }] })],
  'MESH-PROXY-002': [goodOperator({ values: { pilot: { env: { PILOT_ENABLE_XDS_CACHE: 'true' } } } })],
  'MESH-POD-001': [deployment('a', { containers: [{ name: 'a', image: 'a', securityContext: { runAsUser: 1337 } }] })],
  'MESH-POD-002': [deployment('a', { initContainers: [{ name: 'migrate', image: 'migrate:1' }] })],
  'MESH-POD-003': [
    namespaceObject('plain'),
    deployment('gw', { namespace: 'plain', labels: { app: 'gw' }, containers: [{ name: 'istio-proxy', image: 'auto' }] }),
  ],
  'MESH-CP-001': [istioOperator({ profile: 'default' })],
  'MESH-CP-002': [goodOperator({ meshConfig: { concurrency: 2 } })],
  'MESH-CP-003': [istioOperator({ components: { pilot: { k8s: { hpaSpec: { minReplicas: 2 } } } } })],
};

function findingsOf(objects: KObject[], ruleId?: string) {
  const rules = ruleId ? ALL_RULES.filter((r) => r.id === ruleId) : undefined;
  return runRules(objects.filter(Boolean).map((object) => ({ object })), () => [], { rules }).findings;
}

describe('every rule\'s findings carry its id and level', () => {
  test('the table names every rule, and only them', () => {
    expect(ALL_RULES.map((r) => r.id).sort()).toEqual(Object.keys(LEVELS).sort());
  });

  const fixtureFiles = [
    ...readdirSync(ISTIO).filter((f) => f.endsWith('.yaml')).map((f) => join(ISTIO, f)),
    join(FIXTURES, 'legacy-mesh.yaml'),
  ];
  const fromFixtures = fixtureFiles.flatMap((f) => findingsOf(Yaml.load(f) as KObject[]));

  test.each(Object.keys(LEVELS))('%s', (id) => {
    const findings = SMALL[id] ? findingsOf(SMALL[id], id) : fromFixtures.filter((f) => f.ruleId === id);
    expect(findings.length).toBeGreaterThan(0);
    // Each failing case fails only this rule (a rule that crashed would report "could not run").
    expect(findings.filter((f) => f.ruleId === id && f.message.startsWith('the rule could not run'))).toEqual([]);
    expect([...new Set(findings.map((f) => `${f.ruleId} ${f.level}`))]).toEqual([`${id} ${LEVELS[id]}`]);
  });

  test('an error fails the run and a warning does not, unless warnings count as errors', () => {
    const warn = SMALL['MESH-CP-001'].map((object) => ({ object }));
    const rules = ALL_RULES.filter((r) => r.id === 'MESH-CP-001');
    expect(runRules(warn, () => [], { rules }).passed).toBe(true);
    expect(runRules(warn, () => [], { rules, warningsAsErrors: true }).passed).toBe(false);
    const err = SMALL['MESH-CP-002'].map((object) => ({ object }));
    expect(runRules(err, () => [], { rules: ALL_RULES.filter((r) => r.id === 'MESH-CP-002') }).passed).toBe(false);
  });
});
