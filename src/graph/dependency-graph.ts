import { IConstruct } from 'constructs';
import {
  CLUSTER_BYTES, connectionsOf, CONTROL_PLANE_CLUSTERS, describeShare, ESTIMATE_METHOD, GATEWAY_CLUSTERS, HOST_BYTES, STATIC_CLUSTERS, workersOf,
} from './budget-model';
import { principalOf } from './caller-identity';
import { Dependency, ICallee, IMeshWorkload, UpstreamProtocol } from './dependency';
import { renderJson, renderMarkdown, renderMermaid, writeReport } from './mesh-report';
import { checkCount, checkInt, checkObject } from '../private/checks';
import { problem, show } from '../private/errors';
import { appOutdir, checkReportDir } from '../private/files';
import { clusterServiceOf } from '../private/names';
import { MeshRegistry } from '../private/registry';

/** What one calling proxy may open to one Envoy cluster of a callee (a port; a version's Service once the callee has two versions). */
export interface ClusterConnections {
  /** Istio's cluster name, `outbound|<port>|<subset>|<host>`. */
  readonly cluster: string;
  /** Upstream hosts in the cluster. */
  readonly endpoints: number;
  /**
   * The cluster's `maxConnections`, per calling proxy, summed over its workers.
   *
   * @default - no cap
   */
  readonly maxConnections?: number;
  /** Warm connections: one per worker per host (HTTP pools that have called every host). */
  readonly warmFloor: number;
  /**
   * How far past `maxConnections` the proxy may go: Envoy keeps at least one connection per
   * host per pool (a pool per worker), so `endpoints × workers`.
   *
   * @default - unknown: the caller runs one worker per node core
   */
  readonly softCapOvershoot?: number;
  /**
   * What the cap really bounds: `maxConnections + endpoints × workers`.
   *
   * @default - no cap, or an unknown worker count
   */
  readonly hardLimit?: number;
}

/** What one dependency costs: a floor and a worst case, per calling proxy and from all the caller's replicas. */
export interface DependencyConnections {
  /** The dependency. */
  readonly dependency: Dependency;
  /** How the proxy carries the traffic (TCP, HTTP/1.1, HTTP/2). */
  readonly protocol: UpstreamProtocol;
  /** Envoy workers of each calling proxy (`sidecar.concurrency`); 0 for a caller without a sidecar. */
  readonly workers: number;
  /**
   * True when the caller runs `concurrency: 0` (one worker per node core): `workers` is then only
   * the CPU limit's cores, a lower bound.
   */
  readonly allCores: boolean;
  /** Replicas of the caller (all versions). */
  readonly callerReplicas: number;
  /** Per cluster (port, version's Service) of the callee: its cap and the soft-cap overshoot. None for a caller without a sidecar (no Envoy, no cap). */
  readonly clusters: ClusterConnections[];
  /** Connections one calling proxy holds at least (warm pools; TCP: the app's pool). */
  readonly floorPerProxy: number;
  /**
   * Connections one calling proxy may hold at most.
   *
   * @default - unbounded (see `unboundedBecause`)
   */
  readonly worstCasePerProxy?: number;
  /** callerReplicas × floorPerProxy. */
  readonly floor: number;
  /**
   * callerReplicas × worstCasePerProxy.
   *
   * @default - unbounded
   */
  readonly worstCase?: number;
  /** How the worst case per proxy was computed, in words. */
  readonly method: string;
  /**
   * Why the worst case has no bound, if it has none.
   *
   * @default - bounded
   */
  readonly unboundedBecause?: string;
}

/** One proxy's budget: the connections it may open and the clusters it receives. */
export interface ProxyBudget {
  /** The service whose proxies these are. */
  readonly service: IMeshWorkload;
  /** Envoy workers per proxy. */
  readonly workers: number;
  /** Proxies (replicas, all versions). */
  readonly replicas: number;
  /** Connections per dependency. */
  readonly upstreams: DependencyConnections[];
  /** Upstream connections one proxy holds at least, all dependencies together. */
  readonly floorConnectionsPerProxy: number;
  /**
   * Upstream connections one proxy may hold at most, all dependencies together.
   *
   * @default - unbounded: a dependency has no bound
   */
  readonly worstCaseConnectionsPerProxy?: number;
  /** Whether a Sidecar resource limits its egress to its dependencies. */
  readonly scoped: boolean;
  /** Clusters the proxy receives with its Sidecar scoping (equal to unscopedClusters when not scoped). An estimate. */
  readonly scopedClusters: number;
  /** Clusters the proxy would receive without scoping (every service of the app, no other). An estimate. */
  readonly unscopedClusters: number;
  /** Estimated cluster and endpoint memory, scoped, in KiB (not a bound: see `estimateMethod`). */
  readonly scopedMemoryKiB: number;
  /** Estimated cluster and endpoint memory, unscoped, in KiB. */
  readonly unscopedMemoryKiB: number;
  /** How the cluster and memory estimates are made, and from which sources. */
  readonly estimateMethod: string;
}

/** What the cluster estimate counts besides the app's own hosts. */
export interface ClusterEstimateOptions {
  /**
   * Control-plane revisions installed (each istiod revision's Service adds its ports to
   * every proxy that keeps `<root namespace>/*`, e.g. during a canary upgrade).
   *
   * @default 1
   */
  readonly controlPlaneRevisions?: number;
  /**
   * Service ports of gateways installed in the root namespace (every proxy keeping
   * `<root namespace>/*` gets a cluster for each).
   *
   * @default 3 - the default ingress gateway: 15021, 80, 443
   */
  readonly gatewayPorts?: number;
}

/** One callee's inbound budget: what all its callers may open together against its capacity. */
export interface InboundBudget {
  /** The callee. */
  readonly callee: ICallee;
  /** Each caller's share. */
  readonly callers: DependencyConnections[];
  /** Connections all callers hold at least together. */
  readonly floor: number;
  /**
   * Connections all callers may hold at most together (checked against `capacity`).
   *
   * @default - unbounded: a caller's share has no bound
   */
  readonly worstCase?: number;
  /**
   * The declared capacity (`maxInboundConnections`).
   *
   * @default - not declared
   */
  readonly capacity?: number;
}

/**
 * The app's dependency graph, from the App's registry (`MeshedService.talksTo`): who calls
 * whom, what each proxy may open and receive, and what each callee may be sent. It reads
 * callers and callees through their interfaces (`IMeshWorkload`, `ICallee`). Queried, never
 * copied: `DependencyGraph.of(scope)` always reflects the whole App.
 */
export class DependencyGraph {
  /** The graph of the App that `scope` belongs to. */
  public static of(scope: IConstruct): DependencyGraph {
    return new DependencyGraph(scope);
  }

  private readonly registry: MeshRegistry;
  private readonly outdir?: string;

  private constructor(scope: IConstruct) {
    this.registry = MeshRegistry.of(scope);
    this.outdir = appOutdir(scope);
  }

  /** Every MeshedService of the App, in creation order. */
  public get services(): IMeshWorkload[] {
    return this.registry.workloads;
  }

  /** Every ExternalService of the App, in creation order. */
  public get externalServices(): ICallee[] {
    return this.registry.list<ICallee>('external-service');
  }

  /** Namespaces closed by a DefaultDeny of the App. */
  public get defaultDenyNamespaces(): string[] {
    return [...this.edges().denies];
  }

  /** Every declared dependency, callers in creation order. */
  public get dependencies(): Dependency[] {
    return [...this.edges().all];
  }

  /** The services that declared a dependency on `callee` (each once, in creation order). */
  public callersOf(callee: ICallee): IMeshWorkload[] {
    return [...new Set((this.edges().byCallee.get(callee) ?? []).map((d) => d.caller))];
  }

  /** The dependencies declared on `callee`. */
  public dependenciesOn(callee: ICallee): Dependency[] {
    return [...(this.edges().byCallee.get(callee) ?? [])];
  }

  /** True when `callee` is a MeshedService or ExternalService of this App. */
  public contains(callee: ICallee): boolean {
    return this.registry.isCallee(callee);
  }

  /**
   * True when the callee's AuthorizationPolicy accepts the caller: callers in the callee's own
   * namespace are accepted when declared; callers from other namespaces only when the callee
   * says so with `allowCallsFrom` (their ServiceAccount or their namespace). Either way the
   * caller needs a sidecar, the source of its mTLS identity.
   */
  public accepts(callee: IMeshWorkload, caller: IMeshWorkload): boolean {
    if (!caller.sidecarInjected) return false;
    if (caller.namespace === callee.namespace) return true;
    return callee.allowedCallers.some((id) => id.principal === principalOf(caller) || id.namespaceName === caller.namespace);
  }

  /** What one dependency may open, per cluster, per calling proxy and from all the caller's replicas: a floor and a worst case. */
  public connectionsOf(dependency: Dependency): DependencyConnections {
    return connectionsOf(dependency);
  }

  /**
   * One proxy's budget for a service: connections (floor, worst case) and clusters and memory
   * scoped against unscoped (estimates).
   */
  public proxyBudgetOf(service: IMeshWorkload, options: ClusterEstimateOptions = {}): ProxyBudget {
    const upstreams = service.dependencies.map((d) => this.connectionsOf(d));
    const revisions = checkCount('DependencyGraph', 'controlPlaneRevisions', options?.controlPlaneRevisions, 'set the istiod revisions installed (1 unless upgrading with revisions)') ?? 1;
    const gateways = options?.gatewayPorts ?? GATEWAY_CLUSTERS;
    checkInt('DependencyGraph', 'gatewayPorts', gateways, 0, 65535, 'set the Service ports of gateways in the root namespace (3 for the default ingress gateway)');
    // + the inbound cluster of its own port; istiod and gateway clusters hold about one host each
    const base = STATIC_CLUSTERS + CONTROL_PLANE_CLUSTERS * revisions + gateways + 1;
    const baseHosts = CONTROL_PLANE_CLUSTERS * revisions + gateways + 1;
    const totals = this.calleeTotals();
    const scoped = isScoped(service);
    const callees = [...new Set(service.dependencies.map((d) => d.callee))];
    const scopedClusters = scoped ? base + callees.reduce((n, c) => n + c.outboundClusters, 0) : base + totals.clusters;
    const scopedHosts = scoped ? baseHosts + callees.reduce((n, c) => n + c.outboundEndpoints, 0) : baseHosts + totals.endpoints;
    const kib = (clusters: number, hosts: number) => Math.round((clusters * CLUSTER_BYTES + hosts * HOST_BYTES) / 1024);
    const worst = upstreams.every((u) => u.worstCasePerProxy !== undefined) ? upstreams.reduce((n, u) => n + u.worstCasePerProxy!, 0) : undefined;
    return {
      service,
      workers: workersOf(service),
      replicas: service.totalReplicas,
      upstreams,
      floorConnectionsPerProxy: upstreams.reduce((n, u) => n + u.floorPerProxy, 0),
      worstCaseConnectionsPerProxy: worst,
      scoped,
      scopedClusters,
      unscopedClusters: base + totals.clusters,
      scopedMemoryKiB: kib(scopedClusters, scopedHosts),
      unscopedMemoryKiB: kib(base + totals.clusters, baseHosts + totals.endpoints),
      estimateMethod: ESTIMATE_METHOD,
    };
  }

  /** What all of a callee's callers may open together (floor and worst case), against its declared capacity. */
  public inboundBudgetOf(callee: ICallee): InboundBudget {
    const callers = this.dependenciesOn(callee).map((d) => this.connectionsOf(d));
    const worst = callers.every((c) => c.worstCase !== undefined) ? callers.reduce((n, c) => n + c.worstCase!, 0) : undefined;
    return { callee, callers, floor: callers.reduce((n, c) => n + c.floor, 0), worstCase: worst, capacity: callee.maxInboundConnections };
  }

  /** The mesh report as JSON: graph, budgets and per-proxy cluster counts. */
  public toJson(options: ClusterEstimateOptions = {}): string {
    return renderJson(this, options);
  }

  /** The mesh report as Markdown, with a Mermaid picture of the graph. */
  public toMarkdown(options: ClusterEstimateOptions = {}): string {
    return renderMarkdown(this, options);
  }

  /** The graph as a Mermaid flowchart. */
  public toMermaid(): string {
    return renderMermaid(this);
  }

  /**
   * Writes `mesh-report.md` and `mesh-report.json` into a directory outside the app's outdir,
   * e.g. `'mesh-reports'` beside `dist/`, typically after `app.synth()`. The outdir is refused:
   * it holds Kubernetes manifests only (`kubectl apply -f dist/` reads every file there).
   *
   * @returns the paths written
   */
  public writeReport(directory: string, options: ClusterEstimateOptions = {}): string[] {
    checkReportDir('DependencyGraph.writeReport', 'directory', directory, this.outdir === undefined ? [] : [this.outdir]);
    options = checkObject('DependencyGraph.writeReport', 'options', options, '{ controlPlaneRevisions: 1 }', true);
    return writeReport(this, directory, options);
  }

  /** True when `callee` is a meshed workload of this App (not an external service). @internal */
  public _isWorkload(callee: ICallee): boolean {
    return this.registry.workloadOf(callee) !== undefined;
  }

  /**
   * The synth-time problems of a callee of the graph: for a workload, its dependencies
   * (unknown hosts, calls an AuthorizationPolicy would deny); for any callee, its inbound
   * budget. @internal
   */
  public _problemsOf(callee: ICallee): string[] {
    const out: string[] = [];
    for (const d of this.registry.workloadOf(callee)?.dependencies ?? []) {
      const p = this.edgeProblem(d);
      if (p) out.push(p);
    }
    const p = this.capacityProblem(callee);
    if (p) out.push(p);
    return out;
  }

  private edgeProblem(d: Dependency): string | undefined {
    const { caller, callee } = d;
    if (!this.contains(callee)) {
      return problem(caller, 'talksTo', callee.host, `names ${callee.node.path}, which is not a MeshedService or ExternalService of this app, so no Sidecar, ServiceEntry or policy knows the host`,
        `declare the host in this app: new ExternalService(scope, 'id', { host: ${show(callee.host)}, ports: [...] })`);
    }
    const workload = this.registry.workloadOf(callee);
    if (workload) {
      if (!workload.sidecarInjected || this.accepts(workload, caller)) return undefined;
      if (!caller.sidecarInjected) {
        return problem(caller, 'talksTo', callee.host, `would be denied by the AuthorizationPolicy of ${callee.node.path}: ${caller.name} has no sidecar, so its calls carry no mTLS identity to allow`,
          `set injectSidecar: true on ${caller.node.path}`);
      }
      return problem(caller, 'talksTo', callee.host, `is in namespace ${show(callee.namespace)}, and its AuthorizationPolicy would deny ${caller.name} from namespace ${show(caller.namespace)}: a service accepts callers from other namespaces only when it says so`,
        `on the callee, call ${workload.name}.allowCallsFrom(CallerIdentity.of(${caller.name})) (or CallerIdentity.namespace(${show(caller.namespace)}))`);
    }
    // An external host that is a cluster Service in a closed namespace: no policy of this app lets the caller in.
    if (clusterServiceOf(callee.host) && this.defaultDenyNamespaces.includes(callee.namespace!)) {
      return problem(caller, 'talksTo', callee.host, `is in namespace ${show(callee.namespace)}, which a DefaultDeny of this app closes, and nothing in this app allows ${caller.name} to call it`,
        `model ${callee.host} as a MeshedService of this app (its policy then accepts declared callers), or remove the DefaultDeny of ${show(callee.namespace)}`);
    }
    return undefined;
  }

  private capacityProblem(callee: ICallee): string | undefined {
    const cap = callee.maxInboundConnections;
    if (cap === undefined) return undefined;
    const b = this.inboundBudgetOf(callee);
    const unbounded = b.callers.filter((c) => c.worstCase === undefined);
    if (unbounded.length) {
      const names = [...new Set(unbounded.map((c) => c.dependency.caller.node.path))];
      return problem(callee, 'maxInboundConnections', cap,
        `cannot be checked: ${unbounded.map((c) => c.unboundedBecause).join('; ')}`,
        `on ${names.join(', ')} declare what each replica opens (talksTo connections for TCP, concurrentRequests for HTTP) or set sidecar concurrency, or cap each calling proxy with trafficPolicy maxConnections on ${callee.node.path}`);
    }
    if (b.worstCase! <= cap) return undefined;
    const shares = b.callers.map(describeShare).join('; ');
    return problem(callee, 'maxInboundConnections', cap,
      `is below the ${b.worstCase} connections its callers may hold together in the worst case (floor ${b.floor}; ${shares})`,
      capacityFixes(callee, b.callers, cap, b.worstCase!));
  }

  /** Clusters and endpoints of every host of the App, computed once per registry change. */
  private calleeTotals(): { clusters: number; endpoints: number } {
    return this.registry.memo('graph-callee-totals', () => {
      const all: ICallee[] = [...this.services, ...this.externalServices];
      return { clusters: all.reduce((n, c) => n + c.outboundClusters, 0), endpoints: all.reduce((n, c) => n + c.outboundEndpoints, 0) };
    });
  }

  /**
   * The edges of the App indexed by callee, rebuilt only after the registry changed (`talksTo`,
   * `allowCallsFrom`, a new ExternalService or DefaultDeny): synth-time checks of a
   * 1,000-service app then index once, not once per service.
   */
  private edges(): EdgeIndex {
    return this.registry.memo('graph-edges', () => {
      const all = this.services.flatMap((s) => s.dependencies);
      const byCallee = new Map<ICallee, Dependency[]>();
      for (const d of all) {
        const list = byCallee.get(d.callee);
        if (list) list.push(d); else byCallee.set(d.callee, [d]);
      }
      const denies = [...new Set(this.registry.list<IConstruct & { readonly namespace: string }>('default-deny').map((d) => d.namespace))];
      return { all, byCallee, denies };
    });
  }
}

interface EdgeIndex {
  readonly all: Dependency[];
  readonly byCallee: Map<ICallee, Dependency[]>;
  readonly denies: string[];
}

/** Whether the service's proxies get a Sidecar resource (it has a sidecar and declared dependencies). */
function isScoped(service: IMeshWorkload): boolean {
  return service.sidecarInjected && service.dependencies.length > 0;
}

/**
 * The fixes that bring a callee's worst case within its capacity, only those that work for the
 * callers' protocols: TCP callers' own pools (sidecar concurrency changes nothing for TCP), HTTP
 * callers' concurrency and caps, and a `maxConnections` cap only where it bounds despite its
 * soft-cap overshoot.
 */
function capacityFixes(callee: ICallee, callers: DependencyConnections[], capacity: number, worst: number): string {
  const fixes: string[] = [];
  let note = '';
  const tcp = callers.filter((c) => c.protocol === UpstreamProtocol.TCP);
  const http = callers.filter((c) => c.protocol !== UpstreamProtocol.TCP);
  const replicas = callers.reduce((n, c) => n + c.callerReplicas, 0);
  if (tcp.length) {
    const names = [...new Set(tcp.map((c) => c.dependency.caller.name))];
    fixes.push(`lower the connection pool (talksTo connections) or replicas of ${names.join(', ')} (TCP is 1:1: sidecar concurrency changes nothing)`);
  }
  if (http.length) {
    const names = [...new Set(http.map((c) => c.dependency.caller.name))];
    fixes.push(`lower sidecar concurrency, replicas or concurrentRequests of ${names.join(', ')}`);
  }
  // A per-proxy cap that would fit, after Envoy's overshoot of one connection per host per worker.
  const perProxy = Math.floor(capacity / Math.max(1, replicas));
  // A caller without a sidecar has no Envoy to apply a cap: no cap fixes its share.
  const unproxied = [...new Set(callers.filter((c) => !c.dependency.caller.sidecarInjected).map((c) => c.dependency.caller.name))];
  const overshoot = unproxied.length ? Infinity
    : Math.max(...callers.map((c) => c.clusters.reduce((n, x) => n + (x.softCapOvershoot ?? Infinity), 0)));
  const clusters = Math.max(...callers.map((c) => c.clusters.length));
  const room = Math.floor((perProxy - overshoot) / Math.max(1, clusters));
  if (room >= 1) { // an unknown (infinite) overshoot leaves no room
    fixes.push(`cap each calling proxy with trafficPolicy: TrafficPolicy.of({ maxConnections: ${room} }) on ${callee.node.path} (per cluster, plus Envoy's soft-cap overshoot of ${overshoot} per proxy: ≤ ${perProxy} per proxy)`);
  } else {
    note = unproxied.length ? ` (a maxConnections cap cannot fix it: ${unproxied.join(', ')} ${unproxied.length === 1 ? 'has' : 'have'} no sidecar to apply it)`
      : ` (a maxConnections cap cannot fix it: Envoy lets each proxy exceed it by one connection per endpoint per worker${Number.isFinite(overshoot) ? `, ${overshoot} here, against ${perProxy} per proxy` : ''})`;
  }
  fixes.push(`raise maxInboundConnections to ${worst}`);
  return fixes.join('; or ') + note;
}
