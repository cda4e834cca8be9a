import { IConstruct } from 'constructs';
import { CallerIdentity, principalOf } from './caller-identity';
import { DefaultDeny } from './default-deny';
import { Dependency, ICallee } from './dependency';
import { DependencyPolicy } from './dependency-policy';
import { problem, show } from '../private/errors';
import { ExternalService } from './external-service';
import { ISTIO_SYSTEM } from '../private/istio-facts';
import { Mesh } from '../mesh';
import { renderJson, renderMarkdown, renderMermaid, writeReport } from './mesh-report';
import { MeshedService } from '../meshed-service';
import { cpuMillis } from '../private/units';

/**
 * Clusters every proxy gets whatever its scope (Istio 1.22-1.30): BlackHoleCluster,
 * PassthroughCluster, InboundPassthroughCluster, prometheus_stats, agent, sds-grpc, xds-grpc.
 * @internal
 */
export const STATIC_CLUSTERS = 7;
/**
 * Clusters of the control plane's namespace, which every scoped Sidecar keeps (`istio-system/*`):
 * istiod's four ports (15010, 15012, 443, 15014). A gateway installed there adds its own.
 * @internal
 */
export const CONTROL_PLANE_CLUSTERS = 4;
/** Memory Envoy's own tests bound one cluster at (MESH-FACTS). @internal */
export const CLUSTER_KIB = 40;
/** The namespace every scoped Sidecar keeps in its egress hosts. @internal */
export const CONTROL_PLANE_NAMESPACE = ISTIO_SYSTEM;

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
  readonly service: MeshedService;
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
 * The app's dependency graph, found from the construct tree (`MeshedService.talksTo`):
 * who calls whom, what each proxy may open and receive, and what each callee may be sent.
 * Queried, never copied: `DependencyGraph.of(scope)` always reflects the whole App.
 */
export class DependencyGraph {
  /** The graph of the App that `scope` belongs to. */
  public static of(scope: IConstruct): DependencyGraph {
    return new DependencyGraph(scope);
  }

  private static allowed(service: MeshedService): CallerIdentity[] {
    return DependencyPolicy.of(service)?.allowedCallers ?? [];
  }

  private readonly root: IConstruct;
  private memo?: { services: MeshedService[]; externalServices: ExternalService[] };

  private constructor(scope: IConstruct) {
    this.root = scope.node.root;
  }

  /** Every MeshedService of the App, in creation order. */
  public get services(): MeshedService[] {
    return [...this.scan().services];
  }

  /** Every ExternalService of the App, in construct-tree order. */
  public get externalServices(): ExternalService[] {
    return [...this.scan().externalServices];
  }

  /** Namespaces closed by a DefaultDeny of the App. */
  public get defaultDenyNamespaces(): string[] {
    return [...edgeIndex(this.root).denies];
  }

  private scan() {
    this.memo ??= {
      services: Mesh.servicesOf(this.root),
      externalServices: this.root.node.findAll().filter((c): c is ExternalService => ExternalService.isExternalService(c)),
    };
    return this.memo;
  }

  /** Every declared dependency, callers in creation order. */
  public get dependencies(): Dependency[] {
    return [...edgeIndex(this.root).edges];
  }

  /** The services that declared a dependency on `callee` (each once, in creation order). */
  public callersOf(callee: ICallee): MeshedService[] {
    return [...new Set((edgeIndex(this.root).byCallee.get(callee) ?? []).map((d) => d.caller))];
  }

  /** The dependencies declared on `callee`. */
  public dependenciesOn(callee: ICallee): Dependency[] {
    return [...(edgeIndex(this.root).byCallee.get(callee) ?? [])];
  }

  /** True when `callee` is a MeshedService or ExternalService of this App. */
  public contains(callee: ICallee): boolean {
    return callee.node.root === this.root && (MeshedService.isMeshedService(callee) || ExternalService.isExternalService(callee));
  }

  /**
   * True when the callee's AuthorizationPolicy accepts the caller: callers in the callee's own
   * namespace are accepted when declared; callers from other namespaces only when the callee
   * says so with `allowCallsFrom` (their ServiceAccount or their namespace). Either way the
   * caller needs a sidecar, the source of its mTLS identity.
   */
  public accepts(callee: MeshedService, caller: MeshedService): boolean {
    if (!caller.sidecarInjected) return false;
    if (caller.namespace === callee.namespace) return true;
    return DependencyGraph.allowed(callee).some((id) => id.principal === principalOf(caller) || id.namespaceName === caller.namespace);
  }

  /** What one dependency may open, per calling proxy and from all the caller's replicas. */
  public connectionsOf(dependency: Dependency): DependencyConnections {
    const caller = dependency.caller;
    const callee = dependency.callee;
    const workers = workersOf(caller);
    const connectionsPerWorker = dependency.connectionsPerWorker ?? endpointsOf(callee);
    const cap = MeshedService.isMeshedService(callee) ? callee.trafficPolicy.maxConnections
      : ExternalService.isExternalService(callee) ? callee.maxConnectionsPerProxy : undefined;
    const uncapped = workers * connectionsPerWorker;
    // With concurrency 0 the workers are the node's cores, unknown here: only the cap bounds a proxy.
    const allCores = caller.sidecar.concurrency === 0;
    const perProxy = cap === undefined ? uncapped : allCores ? cap : Math.min(uncapped, cap);
    const callerReplicas = replicasOf(caller);
    return {
      dependency, workers, allCores, connectionsPerWorker, maxConnectionsPerProxy: cap, perProxy, callerReplicas, total: callerReplicas * perProxy,
    };
  }

  /** One proxy's budget for a service. */
  public proxyBudgetOf(service: MeshedService): ProxyBudget {
    const upstreams = service.dependencies.map((d) => this.connectionsOf(d));
    const base = STATIC_CLUSTERS + CONTROL_PLANE_CLUSTERS + 1; // + the inbound cluster of its own port
    const { services, externalServices } = this.scan();
    const unscopedClusters = base + services.reduce((n, s) => n + clustersOf(s), 0) + externalServices.reduce((n, e) => n + clustersOf(e), 0);
    const scoped = isScoped(service);
    const callees = [...new Set(service.dependencies.map((d) => d.callee))];
    const scopedClusters = scoped ? base + callees.reduce((n, c) => n + clustersOf(c), 0) : unscopedClusters;
    return {
      service,
      workers: workersOf(service),
      replicas: replicasOf(service),
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
   * Writes `mesh-report.md` and `mesh-report.json` into a directory, e.g. `app.outdir` after
   * `app.synth()`, beside the manifests (a manifest validator that reads every `*.json` of a
   * directory needs to skip the report: this repository's example synth moves it to
   * `dist-reports/`, as it does the mesh rules report).
   *
   * @returns the paths written
   */
  public writeReport(directory: string): string[] {
    return writeReport(this, directory);
  }

  /**
   * The synth-time problems of a construct of the graph: for a MeshedService, its
   * dependencies (unknown hosts, calls an AuthorizationPolicy would deny) and its inbound
   * budget; for an ExternalService, its inbound budget. @internal
   */
  public _problemsOf(c: IConstruct): string[] {
    const out: string[] = [];
    if (MeshedService.isMeshedService(c)) {
      for (const d of c.dependencies) {
        const p = this.edgeProblem(d);
        if (p) out.push(p);
      }
    }
    if (MeshedService.isMeshedService(c) || ExternalService.isExternalService(c)) {
      const p = this.capacityProblem(c);
      if (p) out.push(p);
    }
    return out;
  }

  private edgeProblem(d: Dependency): string | undefined {
    const { caller, callee } = d;
    if (!this.contains(callee)) {
      return problem(caller, 'talksTo', callee.host, `names ${callee.node.path}, which is not a MeshedService or ExternalService of this app, so no Sidecar, ServiceEntry or policy knows the host`,
        `declare the host in this app: new ExternalService(scope, 'id', { host: ${show(callee.host)}, ports: [...] })`);
    }
    if (MeshedService.isMeshedService(callee) && callee.sidecarInjected && !this.accepts(callee, caller)) {
      if (!caller.sidecarInjected) {
        return problem(caller, 'talksTo', callee.host, `would be denied by the AuthorizationPolicy of ${callee.node.path}: ${caller.name} has no sidecar, so its calls carry no mTLS identity to allow`,
          `set injectSidecar: true on ${caller.node.path}`);
      }
      return problem(caller, 'talksTo', callee.host, `is in namespace ${show(callee.namespace)}, and its AuthorizationPolicy would deny ${caller.name} from namespace ${show(caller.namespace)}: a service accepts callers from other namespaces only when it says so`,
        `on the callee, call ${callee.name}.allowCallsFrom(CallerIdentity.of(${caller.name})) (or CallerIdentity.namespace(${show(caller.namespace)}))`);
    }
    if (ExternalService.isExternalService(callee) && callee.inCluster && this.defaultDenyNamespaces.includes(callee.namespace!)) {
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
}

/** "orders: 1 replica × 16 workers × 50 per worker = 800" @internal */
export function describeShare(c: DependencyConnections): string {
  const replicas = `${c.callerReplicas} replica${c.callerReplicas === 1 ? '' : 's'}`;
  const open = c.allCores ? 'one worker per node core' : `${c.workers} worker${c.workers === 1 ? '' : 's'} × ${c.connectionsPerWorker} per worker`;
  const perProxy = c.maxConnectionsPerProxy !== undefined && (c.allCores || c.maxConnectionsPerProxy < c.workers * c.connectionsPerWorker)
    ? `min(${open}, maxConnections ${c.maxConnectionsPerProxy})` : open;
  return `${c.dependency.caller.name}: ${replicas} × ${perProxy} = ${c.total}`;
}

/** Envoy workers of a service's proxies (concurrency 0: one per core of the CPU limit, a lower bound). @internal */
export function workersOf(service: MeshedService): number {
  const c = service.sidecar.concurrency;
  return c > 0 ? c : Math.max(1, Math.ceil(cpuMillis(service.sidecar.cpuLimit) / 1000));
}

/** Replicas of a service, all versions. @internal */
export function replicasOf(service: MeshedService): number {
  return service.versions.reduce((n, v) => n + service.replicasOf(v), 0);
}

/** Upstream endpoints of a callee. @internal */
export function endpointsOf(callee: ICallee): number {
  if (MeshedService.isMeshedService(callee)) return replicasOf(callee);
  if (ExternalService.isExternalService(callee)) return callee.endpoints;
  return 1;
}

/** Outbound clusters a host adds to a proxy that sees it: one per port, and one per port and DestinationRule subset. @internal */
export function clustersOf(callee: ICallee): number {
  if (MeshedService.isMeshedService(callee)) return 1 + callee.versions.length;
  if (ExternalService.isExternalService(callee)) return callee.ports.length;
  return 1;
}

/** Whether the service's proxies get a Sidecar resource (it has a sidecar and declared dependencies). @internal */
export function isScoped(service: MeshedService): boolean {
  return service.sidecarInjected && service.dependencies.length > 0;
}

/**
 * The edges of an App, indexed by callee, rebuilt from the construct tree whenever the graph
 * changed (`talksTo`, `allowCallsFrom`, a new ExternalService or DefaultDeny): synth-time checks
 * of a 1,000-service app then scan the tree once, not once per service.
 */
interface EdgeIndex {
  readonly generation: number;
  readonly edges: Dependency[];
  readonly byCallee: Map<ICallee, Dependency[]>;
  readonly denies: string[];
}

let generation = 0;
const indexes = new WeakMap<IConstruct, EdgeIndex>();

/** Marks every App's edge index stale. @internal */
export function _graphChanged(): void {
  generation++;
}

function edgeIndex(root: IConstruct): EdgeIndex {
  const cached = indexes.get(root);
  if (cached && cached.generation === generation) return cached;
  const all = root.node.findAll();
  const edges = Mesh.servicesOf(root).flatMap((s) => s.dependencies);
  const byCallee = new Map<ICallee, Dependency[]>();
  for (const d of edges) {
    const list = byCallee.get(d.callee) ?? [];
    list.push(d);
    byCallee.set(d.callee, list);
  }
  const denies = [...new Set(all.filter((c): c is DefaultDeny => DefaultDeny.isDefaultDeny(c)).map((d) => d.namespace))];
  const index = { generation, edges, byCallee, denies };
  indexes.set(root, index);
  return index;
}
