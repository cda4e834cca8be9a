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
   * The DestinationRule's `connectionPool.tcp.maxConnections`, if capped: enforced by each
   * calling proxy per Envoy cluster (per port, per version's Service), summed over its workers, and soft
   * (see `upstreamClustersOf`).
   */
  readonly maxConnectionsPerProxy?: number;

  /**
   * Endpoints over all the outbound clusters a proxy that sees this host receives (each
   * cluster holds its own hosts: a MeshedService's pods appear in its port's cluster and again
   * in their version's Service's cluster once there are two versions). Input of the memory estimate.
   */
  readonly outboundEndpoints: number;

  /**
   * Outbound clusters a proxy that sees this host receives: one per port, and for a
   * MeshedService with two or more versions one per port and version's Service.
   */
  readonly outboundClusters: number;

  /** How reports and diagrams name the callee (a service's name, an external host). */
  readonly displayName: string;

  /** How the calling proxy carries traffic to a port: TCP 1:1, HTTP/1.1 pools or HTTP/2 streams. */
  upstreamProtocolOf(port: number): UpstreamProtocol;

  /**
   * The Envoy clusters a caller's proxy uses for a port (the host's, or one per version's Service once there are two),
   * each with its endpoints and its own `maxConnections`.
   */
  upstreamClustersOf(port: number): UpstreamCluster[];
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
  /**
   * Whether the service's Sidecar keeps Istio's `ALLOW_ANY` for hosts it did not declare
   * (`allowUndeclaredEgress`); false: `REGISTRY_ONLY`, undeclared calls fail.
   */
  readonly allowUndeclaredEgress: boolean;
}

/**
 * How a calling proxy carries traffic to a callee port, which decides how many upstream
 * connections it opens (Envoy's connection pooling, `intro/arch_overview/upstream/connection_pooling`).
 */
export enum UpstreamProtocol {
  /**
   * Opaque TCP (`tcp_proxy`; also TLS passed through): one upstream connection per connection
   * the caller's app opens. Sidecar concurrency changes nothing.
   */
  TCP = 'tcp',
  /**
   * HTTP/1.1 (Istio's default for HTTP ports: it does not upgrade to HTTP/2 unless told,
   * `shouldH2Upgrade` in istio/istio `pilot/pkg/networking/core/cluster_traffic_policy.go`):
   * one connection per in-flight request, per worker, per upstream host, up to the cap.
   */
  HTTP1 = 'http1',
  /** HTTP/2 and gRPC: streams multiplexed on one connection per worker per host, more past the stream limit. */
  HTTP2 = 'http2',
}

/** One Envoy cluster of a callee, as a calling proxy sees it. */
export interface UpstreamCluster {
  /** Istio's cluster name, `outbound|<port>|<subset>|<host>`. */
  readonly name: string;
  /** Upstream hosts in the cluster. */
  readonly endpoints: number;
  /**
   * `connectionPool.tcp.maxConnections` of the cluster, if capped.
   *
   * @default - no cap
   */
  readonly maxConnections?: number;
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
   * TCP callees only: the connections each replica of this service's app opens to the callee
   * (its own pool size, e.g. a database driver's `maximumPoolSize`). The proxy opens one
   * upstream connection per app connection (`tcp_proxy`), whatever its concurrency.
   *
   * @default - not declared: the worst case is bounded only by a `maxConnections` cap, and a
   * callee with `maxInboundConnections` cannot be checked without one of the two
   */
  readonly connections?: number;

  /**
   * HTTP callees only: the most requests each replica of this service has in flight to the
   * callee at once (its peak, over the connection idle timeout, 1 h by default). HTTP/1.1
   * needs a connection per in-flight request; HTTP/2 and gRPC need more connections only past
   * `streamsPerConnection`.
   *
   * @default - not declared: for HTTP/1.1 the worst case is the `maxConnections` cap (plus
   * Envoy's soft-cap overshoot); for HTTP/2 it is one connection per worker per host
   */
  readonly concurrentRequests?: number;

  /**
   * HTTP/2 and gRPC callees only: the concurrent streams the callee accepts on one connection
   * (its `SETTINGS_MAX_CONCURRENT_STREAMS`, e.g. 100 for many gRPC servers). Past it Envoy opens
   * another connection.
   *
   * @default - unlimited (Envoy's default of 2^31-1): one connection per worker per host
   */
  readonly streamsPerConnection?: number;
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
   * TCP: connections each caller replica's app opens, if declared.
   *
   * @default - not declared
   */
  readonly connections?: number;
  /**
   * HTTP: peak in-flight requests of each caller replica, if declared.
   *
   * @default - not declared
   */
  readonly concurrentRequests?: number;
  /**
   * HTTP/2: concurrent streams per connection, if limited.
   *
   * @default - unlimited
   */
  readonly streamsPerConnection?: number;
}
