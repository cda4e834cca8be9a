// The dependency graph at scale: a generated mesh of 1,000 services with 3 dependencies each.
// Prints the clusters each proxy receives with and without Sidecar scoping (goal: ≥ 50× fewer),
// the estimated cluster config memory, and how long building and synthesizing the app takes.
//
//   npx projen bench:graph   or   npx tsx bench/graph-scale.ts [services] [dependencies]
// The mesh report (Markdown and JSON, per-proxy clusters scoped vs unscoped) is written to
// bench/results/graph-scale/.
import { App, Chart, Testing } from 'cdk8s';
import { DependencyGraph, MeshedService } from '../src';

const services = Number(process.argv[2] ?? 1000);
const deps = Number(process.argv[3] ?? 3);

const t0 = performance.now();
const app: App = Testing.app();
const chart = new Chart(app, 'mesh', { namespace: 'mesh' });
const all = Array.from({ length: services }, (_, i) => new MeshedService(chart, `svc-${i}`, {
  image: `registry.example.com/svc-${i}:1.0.0`,
  port: 8080,
  replicas: 2,
}));
// Each service calls the next `deps` services (a ring, so every service is also called `deps` times).
all.forEach((s, i) => {
  for (let k = 1; k <= deps; k++) s.talksTo(all[(i + k) % services]);
});
const t1 = performance.now();

const graph = DependencyGraph.of(chart);
const report = JSON.parse(graph.toJson());
const reportDir = 'bench/results/graph-scale';
graph.writeReport(reportDir);
const b = graph.proxyBudgetOf(all[0]);
const t2 = performance.now();

const objects = Testing.synth(chart);
const t3 = performance.now();

const kinds: Record<string, number> = {};
for (const o of objects as Array<{ kind: string }>) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;

console.log(`mesh: ${services} services, ${deps} dependencies each, ${graph.dependencies.length} edges`);
console.log(`clusters per proxy: scoped ${b.scopedClusters}, unscoped ${b.unscopedClusters} (${(b.unscopedClusters / b.scopedClusters).toFixed(1)}× fewer)`);
console.log(`mean over ${report.summary.proxies} proxies: scoped ${report.summary.meanScopedClusters}, unscoped ${report.summary.meanUnscopedClusters} (${report.summary.ratio}× fewer)`);
console.log(`cluster and endpoint memory per proxy (an estimate, not a bound): scoped ${(b.scopedMemoryKiB / 1024).toFixed(2)} MiB, unscoped ${(b.unscopedMemoryKiB / 1024).toFixed(1)} MiB`);
console.log(`upstream connections per proxy: floor ${b.floorConnectionsPerProxy} (${b.workers} workers × 2 endpoints × ${deps} dependencies), worst case ${b.worstCaseConnectionsPerProxy ?? 'unbounded'}`);
console.log(`objects: ${objects.length} (${Object.entries(kinds).sort().map(([k, n]) => `${k} ${n}`).join(', ')})`);
console.log(`mesh report: ${reportDir}/mesh-report.md and mesh-report.json`);
console.log(`time: build ${(t1 - t0).toFixed(0)} ms, graph + report ${(t2 - t1).toFixed(0)} ms, synth with checks ${(t3 - t2).toFixed(0)} ms`);
if (b.unscopedClusters / b.scopedClusters < 50) {
  console.error('FAILED: scoping cuts clusters per proxy by less than 50×');
  process.exitCode = 1;
}
