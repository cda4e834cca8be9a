import { IConstruct } from 'constructs';
import type { CallerIdentity } from './caller-identity';
import type { IstioApiVersion } from '../istio-api-version';
import type { SidecarTuning } from '../sidecar-tuning';

/**
 * Something a MeshedService can call with `talksTo`: another MeshedService of the app, or an
 * ExternalService (a host outside the cluster, or a cluster Service this app does not deploy).
 * The dependency graph, the policies and the mesh report read a callee through this interface
 * only: what it offers (ports, endpoints, a per-proxy connection cap) and how to name it.
 */
export interface ICallee extends IConstruct {
  /** The host callers address (a fully qualified name where the namespace is known). */
  readonly host: string;

  /** The callee's namespace, if known. */
  readonly namespace?: string;

  /**
   * Most connections the callee accepts from all its callers together (e.g. a database's
   * `max_connections`), if declared. Checked at synth against what the callers' proxies may open.
   */
  readonly maxInboundConnections?: number;

  /** The ports callers may name in `talksTo`. */
  readonly callablePorts: number[];

  /** Upstream endpoints each caller's Envoy worker pools connections to (pods, or resolved addresses). */
  readonly endpoints: number;

  /**
   * Most connections each calling proxy opens to the callee (its DestinationRule's
   * `connectionPool.tcp.maxConnections`), if capped.
   */
  readonly maxConnectionsPerProxy?: number;

  /**
   * Outbound clusters a proxy that sees this host receives: one per port, and one per port and
   * DestinationRule subset.
   */
  readonly outboundClusters: number;

  /** How reports and diagrams name the callee (a service's name, an external host). */
  readonly displayName: string;
}

/**
 * A meshed workload of the app (a MeshedService): a callee that also calls, with proxies whose
 * size and identity the graph reads.
 */
export interface IMeshWorkload extends ICallee {
  /** Service name and mesh host's short name. */
  readonly name: string;
  /** The ServiceAccount the pods run as (the mTLS identity). */
  readonly serviceAccountName: string;
  /** Whether the pods carry a sidecar. */
  readonly sidecarInjected: boolean;
  /** The sidecar tuning of every version. */
  readonly sidecar: SidecarTuning;
  /** The dependencies declared with `talksTo`, in order. */
  readonly dependencies: Dependency[];
  /** The versions deployed, in the order they were added. */
  readonly versions: string[];
  /** Pod replicas of every version together. */
  readonly totalReplicas: number;
  /** The labels every pod of the workload carries, whatever its version. */
  readonly selectorLabels: Record<string, string>;
  /** Istio API versions written. */
  readonly istioApiVersion: IstioApiVersion;
  /** Identities allowed to call beyond the declared callers (`allowCallsFrom`). */
  readonly allowedCallers: CallerIdentity[];
  /**
   * Hosts its VirtualService routes to besides its host (the per-version Services once it has
   * two versions): a caller's scoped Sidecar must see them, or the routes lead to no cluster.
   */
  readonly versionHosts: string[];
}

/** Options for `MeshedService.talksTo`. */
export interface MeshedServiceTalksToOptions {
  /**
   * The callee's port this service calls.
   *
   * @default - the callee's only port; required when the callee has several
   */
  readonly port?: number;

  /**
   * Connections each Envoy worker of this service keeps open to the callee. Envoy keeps a
   * connection pool per worker per upstream endpoint, so a worker that has sent requests to
   * every endpoint holds at least one connection to each (more for HTTP/1.1 under load).
   *
   * @default - one per callee endpoint: the callee's replicas (all versions) for a
   * MeshedService, its `endpoints` for an ExternalService
   */
  readonly connectionsPerWorker?: number;
}

/** One declared dependency: `caller.talksTo(callee)`. */
export interface Dependency {
  /** The calling service. */
  readonly caller: IMeshWorkload;
  /** The called service. */
  readonly callee: ICallee;
  /** The callee's port the caller calls. */
  readonly port: number;
  /**
   * Connections each of the caller's Envoy workers keeps to the callee, if declared.
   *
   * @default - one per callee endpoint
   */
  readonly connectionsPerWorker?: number;
}
