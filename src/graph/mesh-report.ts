// Renders the dependency graph's mesh report (Markdown, JSON, Mermaid). Internal: reached
// through DependencyGraph's toMarkdown / toJson / toMermaid / writeReport.
import { CLUSTER_KIB, CONTROL_PLANE_CLUSTERS, CONTROL_PLANE_NAMESPACE, describeShare, STATIC_CLUSTERS } from './budget-model';
import type { ICallee, IMeshWorkload } from './dependency';
import type { DependencyGraph, ProxyBudget } from './dependency-graph';
import { writeFiles } from '../private/files';

interface Summary {
  readonly proxies: number;
  readonly scopedProxies: number;
  readonly meanScopedClusters: number;
  readonly meanUnscopedClusters: number;
  readonly ratio: number;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function proxyBudgets(g: DependencyGraph): ProxyBudget[] {
  return g.services.filter((s) => s.sidecarInjected).map((s) => g.proxyBudgetOf(s));
}

function summarize(budgets: ProxyBudget[]): Summary {
  const n = budgets.length || 1;
  const scoped = budgets.reduce((a, b) => a + b.scopedClusters, 0) / n;
  const unscoped = budgets.reduce((a, b) => a + b.unscopedClusters, 0) / n;
  return {
    proxies: budgets.length,
    scopedProxies: budgets.filter((b) => b.scoped).length,
    meanScopedClusters: round(scoped),
    meanUnscopedClusters: round(unscoped),
    ratio: scoped > 0 ? round(unscoped / scoped) : 1,
  };
}

function callees(g: DependencyGraph): ICallee[] {
  return [...new Set<ICallee>(g.dependencies.map((d) => d.callee))];
}

function unreachable(g: DependencyGraph): IMeshWorkload[] {
  return g.services.filter((s) => s.sidecarInjected && s.namespace !== undefined && g.defaultDenyNamespaces.includes(s.namespace)
    && g.callersOf(s).length === 0 && !s.node.tryFindChild('Dependencies'));
}

/** @internal */
export function renderJson(g: DependencyGraph): string {
  const budgets = proxyBudgets(g);
  const report = {
    model: {
      connectionsPerProxy: 'sum over dependencies of min(workers × connectionsPerWorker, callee maxConnections)',
      connectionsPerCallee: 'sum over callers of callerReplicas × connectionsPerProxy',
      clusters: `${STATIC_CLUSTERS} static + ${CONTROL_PLANE_CLUSTERS} control plane (${CONTROL_PLANE_NAMESPACE}) + 1 inbound + per visible host (1 + DestinationRule subsets per port)`,
      clusterKiB: CLUSTER_KIB,
    },
    summary: summarize(budgets),
    services: g.services.map((s) => ({
      name: s.name,
      namespace: s.namespace ?? null,
      host: s.host,
      sidecar: s.sidecarInjected,
      versions: s.versions,
    })),
    externalServices: g.externalServices.map((e) => ({
      host: e.host,
      namespace: e.namespace ?? null,
      ports: e.callablePorts,
      endpoints: e.endpoints,
      maxInboundConnections: e.maxInboundConnections ?? null,
    })),
    edges: g.dependencies.map((d) => ({ from: d.caller.name, to: d.callee.displayName, port: d.port })),
    proxies: budgets.map((b) => ({
      service: b.service.name,
      replicas: b.replicas,
      workers: b.workers,
      scoped: b.scoped,
      connectionsPerProxy: b.connectionsPerProxy,
      upstreams: b.upstreams.map((u) => ({
        to: u.dependency.callee.displayName,
        port: u.dependency.port,
        connectionsPerWorker: u.connectionsPerWorker,
        maxConnectionsPerProxy: u.maxConnectionsPerProxy ?? null,
        perProxy: u.perProxy,
        total: u.total,
      })),
      clusters: { scoped: b.scopedClusters, unscoped: b.unscopedClusters },
      clusterConfigKiB: { scoped: b.scopedClusters * CLUSTER_KIB, unscoped: b.unscopedClusters * CLUSTER_KIB },
    })),
    callees: callees(g).map((c) => {
      const b = g.inboundBudgetOf(c);
      return {
        callee: c.displayName,
        connections: b.connections,
        capacity: b.capacity ?? null,
        overBudget: b.capacity !== undefined && b.connections > b.capacity,
        callers: b.callers.map((x) => ({ caller: x.dependency.caller.name, replicas: x.callerReplicas, perProxy: x.perProxy, total: x.total })),
      };
    }),
    defaultDenyNamespaces: g.defaultDenyNamespaces,
    unreachableUnderDefaultDeny: unreachable(g).map((s) => s.name),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

function mermaidId(g: DependencyGraph, c: ICallee): string {
  return (g._isWorkload(c) ? `svc_${c.namespace}_${c.displayName}` : `ext_${c.host}`).replace(/[^A-Za-z0-9_]/g, '_');
}

/** @internal */
export function renderMermaid(g: DependencyGraph): string {
  const lines = ['flowchart LR'];
  for (const s of g.services) lines.push(`  ${mermaidId(g, s)}["${s.name}${s.namespace ? ` (${s.namespace})` : ''}"]`);
  for (const e of g.externalServices) lines.push(`  ${mermaidId(g, e)}[("${e.host}")]`);
  for (const d of g.dependencies) lines.push(`  ${mermaidId(g, d.caller)} -->|${d.port}| ${mermaidId(g, d.callee)}`);
  return lines.join('\n') + '\n';
}

/** @internal */
export function renderMarkdown(g: DependencyGraph): string {
  const budgets = proxyBudgets(g);
  const sum = summarize(budgets);
  const out: string[] = [];
  out.push('# Mesh report', '');
  out.push(`${g.services.length} services, ${g.externalServices.length} external services, ${g.dependencies.length} dependencies. `
    + `${sum.scopedProxies} of ${sum.proxies} workloads with a sidecar are scoped by a Sidecar resource.`, '');
  out.push(`Clusters per proxy (mean): **${sum.meanScopedClusters} scoped** vs ${sum.meanUnscopedClusters} unscoped (${sum.ratio}× fewer).`, '');
  out.push('## Graph', '', '```mermaid', renderMermaid(g).trimEnd(), '```', '');
  out.push('## Per proxy', '');
  out.push('| service | replicas | workers | upstream connections per proxy | clusters scoped | clusters unscoped | cluster config (KiB) scoped / unscoped |');
  out.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const b of budgets) {
    out.push(`| ${b.service.name} | ${b.replicas} | ${b.workers} | ${b.connectionsPerProxy} | ${b.scoped ? b.scopedClusters : `${b.scopedClusters} (not scoped)`} | ${b.unscopedClusters} | ${b.scopedClusters * CLUSTER_KIB} / ${b.unscopedClusters * CLUSTER_KIB} |`);
  }
  out.push('', '## Per callee', '');
  out.push('| callee | connections from all callers | capacity | status | callers |');
  out.push('|---|---:|---:|---|---|');
  for (const c of callees(g)) {
    const b = g.inboundBudgetOf(c);
    const status = b.capacity === undefined ? 'no capacity declared' : b.connections > b.capacity ? '**over budget**' : 'ok';
    out.push(`| ${c.displayName} | ${b.connections} | ${b.capacity ?? '-'} | ${status} | ${b.callers.map(describeShare).join('; ')} |`);
  }
  const closed = unreachable(g);
  if (g.defaultDenyNamespaces.length) {
    out.push('', '## Default-deny', '', `Closed namespaces: ${g.defaultDenyNamespaces.join(', ')}.`);
    if (closed.length) out.push('', `No caller is allowed to reach: ${closed.map((s) => s.name).join(', ')} (declare callers with talksTo or allowCallsFrom).`);
  }
  out.push('', '## Model', '',
    '- Connections one proxy may open to a dependency: min(workers × connections per worker, the callee\'s DestinationRule `maxConnections`); '
    + 'Envoy keeps a pool per worker per upstream endpoint, so a worker holds at least one connection to each endpoint it has called.',
    '- Connections a callee may receive: the sum over its callers of replicas × connections per proxy, compared with its `maxInboundConnections`.',
    `- Clusters per proxy: ${STATIC_CLUSTERS} static, ${CONTROL_PLANE_CLUSTERS} for the control plane (\`${CONTROL_PLANE_NAMESPACE}/*\`), one inbound, and per visible host one per port plus one per DestinationRule subset. `
    + 'Unscoped, a proxy sees every host of this app (and, in a real cluster, every other service too: these counts are a lower bound). '
    + `Config memory is estimated at ${CLUSTER_KIB} KiB per cluster (Envoy's own bound).`, '');
  return out.join('\n');
}

/** @internal */
export function writeReport(g: DependencyGraph, directory: string): string[] {
  return writeFiles('DependencyGraph.writeReport', 'directory', directory, { 'mesh-report.md': renderMarkdown(g), 'mesh-report.json': renderJson(g) });
}
