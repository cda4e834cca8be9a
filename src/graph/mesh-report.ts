// Renders the dependency graph's mesh report (Markdown, JSON, Mermaid). Internal: reached
// through DependencyGraph's toMarkdown / toJson / toMermaid / writeReport.
import { CLUSTER_BYTES, describeShare, ESTIMATE_METHOD, HOST_BYTES } from './budget-model';
import type { ICallee, IMeshWorkload } from './dependency';
import type { ClusterEstimateOptions, DependencyGraph, ProxyBudget } from './dependency-graph';
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

function proxyBudgets(g: DependencyGraph, options: ClusterEstimateOptions): ProxyBudget[] {
  return g.services.filter((s) => s.sidecarInjected).map((s) => g.proxyBudgetOf(s, options));
}

const orUnbounded = (n: number | undefined) => n ?? 'unbounded';

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

const MODEL = {
  tcp: 'TCP (tcp_proxy) is 1:1: each caller replica opens what its app opens (talksTo connections); sidecar concurrency changes nothing',
  http1: 'HTTP/1.1: floor = workers × endpoints (a warm pool per worker per host); worst case = floor + concurrentRequests, or up to the soft cap',
  http2: 'HTTP/2 and gRPC: one connection per worker per host; past streamsPerConnection, one more per that many concurrent streams',
  cap: 'maxConnections is per calling proxy per cluster (per port, per version\'s Service), summed over workers, and soft: Envoy keeps one connection per host per worker past it, so it bounds at maxConnections + endpoints × workers',
  callee: 'per callee: sum over callers of replicas × per proxy, the worst case checked against maxInboundConnections',
};

/** @internal */
export function renderJson(g: DependencyGraph, options: ClusterEstimateOptions = {}): string {
  const budgets = proxyBudgets(g, options);
  const report = {
    model: { ...MODEL, estimates: ESTIMATE_METHOD, clusterBytes: CLUSTER_BYTES, hostBytes: HOST_BYTES },
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
      connectionsPerProxy: { floor: b.floorConnectionsPerProxy, worstCase: b.worstCaseConnectionsPerProxy ?? null },
      upstreams: b.upstreams.map((u) => ({
        to: u.dependency.callee.displayName,
        port: u.dependency.port,
        protocol: u.protocol,
        floorPerProxy: u.floorPerProxy,
        worstCasePerProxy: u.worstCasePerProxy ?? null,
        method: u.method,
        clusters: u.clusters.map((c) => ({
          cluster: c.cluster,
          endpoints: c.endpoints,
          maxConnections: c.maxConnections ?? null,
          softCapOvershoot: c.softCapOvershoot ?? null,
          hardLimit: c.hardLimit ?? null,
        })),
      })),
      estimate: {
        clusters: { scoped: b.scopedClusters, unscoped: b.unscopedClusters },
        memoryKiB: { scoped: b.scopedMemoryKiB, unscoped: b.unscopedMemoryKiB },
      },
    })),
    callees: callees(g).map((c) => {
      const b = g.inboundBudgetOf(c);
      return {
        callee: c.displayName,
        floor: b.floor,
        worstCase: b.worstCase ?? null,
        capacity: b.capacity ?? null,
        overBudget: b.capacity !== undefined && (b.worstCase === undefined || b.worstCase > b.capacity),
        callers: b.callers.map((x) => ({
          caller: x.dependency.caller.name,
          protocol: x.protocol,
          replicas: x.callerReplicas,
          floorPerProxy: x.floorPerProxy,
          worstCasePerProxy: x.worstCasePerProxy ?? null,
          floor: x.floor,
          worstCase: x.worstCase ?? null,
          clusters: x.clusters.map((k) => k.cluster),
        })),
      };
    }),
    defaultDenyNamespaces: g.defaultDenyNamespaces,
    unreachableUnderDefaultDeny: unreachable(g).map((s) => s.name),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

function baseMermaidId(g: DependencyGraph, c: ICallee): string {
  return (g._isWorkload(c) ? `svc_${c.namespace}_${c.displayName}` : `ext_${c.host}`).replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Node ids, one per callee. Replacing '-' and '.' by '_' can give two callees one id (service
 * "a-b" in namespace "shop" and service "b" in namespace "shop-a" are both svc_shop_a_b), which
 * would merge them in the diagram: a later callee with a taken id gets a numbered suffix.
 */
function mermaidIds(g: DependencyGraph): (c: ICallee) => string {
  const ids = new Map<ICallee, string>();
  const taken = new Set<string>();
  for (const c of [...g.services, ...g.externalServices, ...g.dependencies.flatMap((d) => [d.caller, d.callee])]) {
    if (ids.has(c)) continue;
    const base = baseMermaidId(g, c);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(c, id);
  }
  // every service, external service and end of a dependency has its id
  return (c) => ids.get(c)!;
}

/** @internal */
export function renderMermaid(g: DependencyGraph): string {
  const id = mermaidIds(g);
  const lines = ['flowchart LR'];
  for (const s of g.services) lines.push(`  ${id(s)}["${s.name}${s.namespace ? ` (${s.namespace})` : ''}"]`);
  for (const e of g.externalServices) lines.push(`  ${id(e)}[("${e.host}")]`);
  for (const d of g.dependencies) lines.push(`  ${id(d.caller)} -->|${d.port}| ${id(d.callee)}`);
  return lines.join('\n') + '\n';
}

/** @internal */
export function renderMarkdown(g: DependencyGraph, options: ClusterEstimateOptions = {}): string {
  const budgets = proxyBudgets(g, options);
  const sum = summarize(budgets);
  const out: string[] = [];
  out.push('# Mesh report', '');
  out.push(`${g.services.length} services, ${g.externalServices.length} external services, ${g.dependencies.length} dependencies. `
    + `${sum.scopedProxies} of ${sum.proxies} workloads with a sidecar are scoped by a Sidecar resource.`, '');
  out.push(`Clusters per proxy (mean, an estimate): **${sum.meanScopedClusters} scoped** vs ${sum.meanUnscopedClusters} unscoped (${sum.ratio}× fewer).`, '');
  out.push('## Graph', '', '```mermaid', renderMermaid(g).trimEnd(), '```', '');
  out.push('## Per proxy', '');
  out.push('| service | replicas | workers | upstream connections per proxy: floor / worst case | clusters scoped / unscoped (estimate) | memory KiB scoped / unscoped (estimate) |');
  out.push('|---|---:|---:|---:|---:|---:|');
  for (const b of budgets) {
    out.push(`| ${b.service.name} | ${b.replicas} | ${b.workers} | ${b.floorConnectionsPerProxy} / ${orUnbounded(b.worstCaseConnectionsPerProxy)} | `
      + `${b.scopedClusters}${b.scoped ? '' : ' (not scoped)'} / ${b.unscopedClusters} | ${b.scopedMemoryKiB} / ${b.unscopedMemoryKiB} |`);
  }
  out.push('', '## Per edge and cluster', '');
  out.push('| caller | callee | protocol | cluster | endpoints | maxConnections | soft-cap overshoot | floor / worst case per proxy |');
  out.push('|---|---|---|---|---:|---:|---:|---:|');
  for (const b of budgets) {
    for (const u of b.upstreams) {
      for (const k of u.clusters) {
        // a pipe inside a table cell must be escaped, even in a code span (GFM)
        const overshoot = k.maxConnections === undefined ? '-' : k.softCapOvershoot ?? 'unknown';
        out.push(`| ${b.service.name} | ${u.dependency.callee.displayName} | ${u.protocol} | \`${k.cluster.replace(/\|/g, '\\|')}\` | ${k.endpoints} | ${k.maxConnections ?? '-'} | ${overshoot} | ${u.floorPerProxy} / ${orUnbounded(u.worstCasePerProxy)} |`);
      }
    }
  }
  out.push('', '## Per callee', '');
  out.push('| callee | floor | worst case | capacity | status | callers (worst case) |');
  out.push('|---|---:|---:|---:|---|---|');
  for (const c of callees(g)) {
    const b = g.inboundBudgetOf(c);
    const status = b.capacity === undefined ? 'no capacity declared' : b.worstCase === undefined ? '**unbounded**' : b.worstCase > b.capacity ? '**over budget**' : 'ok';
    out.push(`| ${c.displayName} | ${b.floor} | ${orUnbounded(b.worstCase)} | ${b.capacity ?? '-'} | ${status} | ${b.callers.map(describeShare).join('; ')} |`);
  }
  const closed = unreachable(g);
  if (g.defaultDenyNamespaces.length) {
    out.push('', '## Default-deny', '', `Closed namespaces: ${g.defaultDenyNamespaces.join(', ')}.`);
    if (closed.length) out.push('', `No caller is allowed to reach: ${closed.map((s) => s.name).join(', ')} (declare callers with talksTo or allowCallsFrom).`);
  }
  out.push('', '## Model', '',
    `- ${MODEL.tcp}.`, `- ${MODEL.http1}.`, `- ${MODEL.http2}.`, `- ${MODEL.cap}.`, `- ${MODEL.callee}.`,
    `- Clusters and memory are an ${ESTIMATE_METHOD}.`, '');
  return out.join('\n');
}

/** @internal */
export function writeReport(g: DependencyGraph, directory: string, options: ClusterEstimateOptions = {}): string[] {
  return writeFiles('DependencyGraph.writeReport', 'directory', directory, { 'mesh-report.md': renderMarkdown(g, options), 'mesh-report.json': renderJson(g, options) });
}
