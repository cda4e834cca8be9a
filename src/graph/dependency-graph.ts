import { IConstruct } from 'constructs';
import { CONTROL_PLANE_CLUSTERS, describeShare, STATIC_CLUSTERS, workersOf } from './budget-model';
import { principalOf } from './caller-identity';
import { Dependency, ICallee, IMeshWorkload } from './dependency';
import { renderJson, renderMarkdown, renderMermaid, writeReport } from './mesh-report';
import { problem, show } from '../private/errors';
import { appOutdir, checkReportDir } from '../private/files';
import { clusterServiceOf } from '../private/names';
import { MeshRegistry } from '../private/registry';

/** What one dependency costs: connections per calling proxy and from all the caller's replicas. */
export interface DependencyConnections {
  /** The dependency. */
  readonly dependency: Dependency;
  /** Envoy workers of each calling proxy (`sidecar.concurrency`). */
  readonly workers: number;
  /**
   * True when the caller runs `concurrency: 0` (one worker per node core): `workers` is then only
   * the CPU limit's cores, and `perProxy` is bounded by the callee's per-proxy cap alone.
   */
  readonly allCores: boolean;
  /** Connections each worker keeps to the callee. */
  readonly connectionsPerWorker: number;
  /**
   * The callee's `maxConnections` per calling proxy (its DestinationRule), if any.
   *
   * @default - no cap
   */
  readonly maxConnectionsPerProxy?: number;
  /** Connections one calling proxy may open: min(workers × connectionsPerWorker, maxConnectionsPerProxy). */
  readonly perProxy: number;
  /** Replicas of the caller (all versions). */
  readonly callerReplicas: number;
  /** Connections all the caller's proxies may open together: callerReplicas × perProxy. */
  readonly total: number;
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
  /** Upstream connections one proxy may open, all dependencies together. */
  readonly connectionsPerProxy: number;
  /** Whether a Sidecar resource limits its egress to its dependencies. */
  readonly scoped: boolean;
  /** Clusters the proxy receives with its Sidecar scoping (equal to unscopedClusters when not scoped). */
  readonly scopedClusters: number;
  /** Clusters the proxy would receive without scoping (every service of the app). */
  readonly unscopedClusters: number;
}

/** One callee's inbound budget: what all its callers may open together against its capacity. */
export interface InboundBudget {
  /** The callee. */
  readonly callee: ICallee;
  /** Each caller's share. */
  readonly callers: DependencyConnections[];
  /** Connections all callers may open together. */
  readonly connections: number;
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

  /** What one dependency may open, per calling proxy and from all the caller's replicas. */
  public connectionsOf(dependency: Dependency): DependencyConnections {
    const caller = dependency.caller;
    const callee = dependency.callee;
    const workers = workersOf(caller);
    const connectionsPerWorker = dependency.connectionsPerWorker ?? callee.endpoints;
    const cap = callee.maxConnectionsPerProxy;
    const uncapped = workers * connectionsPerWorker;
    // With concurrency 0 the workers are the node's cores, unknown here: only the cap bounds a proxy.
    const allCores = caller.sidecar.concurrency === 0;
    const perProxy = cap === undefined ? uncapped : allCores ? cap : Math.min(uncapped, cap);
    const callerReplicas = caller.totalReplicas;
    return {
      dependency, workers, allCores, connectionsPerWorker, maxConnectionsPerProxy: cap, perProxy, callerReplicas, total: callerReplicas * perProxy,
    };
  }

  /** One proxy's budget for a service. */
  public proxyBudgetOf(service: IMeshWorkload): ProxyBudget {
    const upstreams = service.dependencies.map((d) => this.connectionsOf(d));
    const base = STATIC_CLUSTERS + CONTROL_PLANE_CLUSTERS + 1; // + the inbound cluster of its own port
    const clusters = (callees: ICallee[]) => callees.reduce((n, c) => n + c.outboundClusters, 0);
    const unscopedClusters = base + clusters(this.services) + clusters(this.externalServices);
    const scoped = isScoped(service);
    const scopedClusters = scoped ? base + clusters([...new Set(service.dependencies.map((d) => d.callee))]) : unscopedClusters;
    return {
      service,
      workers: workersOf(service),
      replicas: service.totalReplicas,
      upstreams,
      connectionsPerProxy: upstreams.reduce((n, u) => n + u.perProxy, 0),
      scoped,
      scopedClusters,
      unscopedClusters,
    };
  }

  /** What all of a callee's callers may open together, against its declared capacity. */
  public inboundBudgetOf(callee: ICallee): InboundBudget {
    const callers = this.dependenciesOn(callee).map((d) => this.connectionsOf(d));
    return { callee, callers, connections: callers.reduce((n, c) => n + c.total, 0), capacity: callee.maxInboundConnections };
  }

  /** The mesh report as JSON: graph, budgets and per-proxy cluster counts. */
  public toJson(): string {
    return renderJson(this);
  }

  /** The mesh report as Markdown, with a Mermaid picture of the graph. */
  public toMarkdown(): string {
    return renderMarkdown(this);
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
  public writeReport(directory: string): string[] {
    checkReportDir('DependencyGraph.writeReport', 'directory', directory, this.outdir === undefined ? [] : [this.outdir]);
    return writeReport(this, directory);
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
    const unbounded = b.callers.filter((c) => c.allCores && c.maxConnectionsPerProxy === undefined);
    if (unbounded.length) {
      const names = [...new Set(unbounded.map((c) => c.dependency.caller.node.path))];
      return problem(callee, 'maxInboundConnections', cap,
        `cannot be checked: ${names.join(', ')} run sidecar concurrency 0 (one Envoy worker per node core), so the connections their proxies open have no known bound`,
        `set sidecar concurrency on ${names.join(', ')}, or cap each calling proxy with a per-proxy connection limit on ${callee.node.path}`);
    }
    if (b.connections <= cap) return undefined;
    const shares = b.callers.map(describeShare).join('; ');
    const callers = [...new Set(b.callers.map((c) => c.dependency.caller.name))];
    const replicas = b.callers.reduce((n, c) => n + c.callerReplicas, 0);
    const perProxy = Math.max(1, Math.floor(cap / Math.max(1, replicas)));
    return problem(callee, 'maxInboundConnections', cap,
      `is below the ${b.connections} connections its callers' proxies may open together (${shares})`,
      `lower sidecar concurrency or replicas of ${callers.join(', ')}, cap each calling proxy with trafficPolicy: TrafficPolicy.of({ maxConnections: ${perProxy} }) on ${callee.node.path}, or raise maxInboundConnections to ${b.connections}`);
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
