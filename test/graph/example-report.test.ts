import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The example imports the package by name; here it is the source.
jest.mock('cdk8s-mesh', () => jest.requireActual('../../src/index'), { virtual: true });

describe('examples/dependency-graph: the mesh report', () => {
  test('shows per edge and cluster a floor and a worst case, per callee both against capacity, and the estimate method', () => {
    const root = mkdtempSync(join(tmpdir(), 'dependency-graph-example-'));
    const dir = join(root, 'mesh-reports'); // the example writes its report beside the outdir
    const before = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = join(root, 'dist'); // cdk8s's App writes here instead of dist/
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- run the example's module body once, here
      jest.isolateModules(() => require('../../examples/dependency-graph/main'));
      const json = JSON.parse(readFileSync(join(dir, 'mesh-report.json'), 'utf8'));
      const md = readFileSync(join(dir, 'mesh-report.md'), 'utf8');
      // TCP: 2 payments replicas × their pool of 10, under the cap's bound 20 + 3 endpoints × 2 workers
      expect(json.callees.find((c: any) => c.callee === 'ledger-db.data.svc.cluster.local')).toMatchObject({
        floor: 20,
        worstCase: 20,
        capacity: 100,
        overBudget: false,
        callers: [{ caller: 'payments', protocol: 'tcp', replicas: 2, worstCasePerProxy: 10 }],
      });
      // HTTP/1.1: 2 workers × 3 checkout pods warm, + 20 requests in flight
      expect(json.proxies.find((p: any) => p.service === 'frontend').connectionsPerProxy).toEqual({ floor: 6, worstCase: 26 });
      // gRPC: one connection per worker per host
      expect(json.proxies.find((p: any) => p.service === 'checkout').upstreams.map((u: any) => [u.to, u.protocol, u.worstCasePerProxy]))
        .toEqual([['payments', 'http2', 4], ['inventory', 'http2', 4]]);
      expect(json.model.estimates).toMatch(/^estimate, not a bound/);
      expect(md).toContain('| ledger-db.data.svc.cluster.local | 20 | 20 | 100 | ok | payments: 2 replicas × 10 (its own pool of 10, TCP 1:1) = 20 |');
      expect(md).toContain('upstream connections per proxy: floor / worst case');
      expect(md).toContain('clusters scoped / unscoped (estimate)');
      expect(md).toMatch(/Clusters and memory are an estimate, not a bound: .*stats_integration_test\.cc/);
    } finally {
      if (before === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = before;
      rmSync(root, { recursive: true, force: true });
    }
  });
});
