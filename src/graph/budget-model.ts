// The connection and cluster model the dependency graph and its report share. Internal to graph/.
import { Dependency, IMeshWorkload, UpstreamProtocol } from './dependency';
import type { ClusterConnections, DependencyConnections } from './dependency-graph';
import { cpuMillis } from '../private/units';

/**
 * Clusters every proxy gets whatever its scope (Istio 1.22-1.30): BlackHoleCluster,
 * PassthroughCluster, InboundPassthroughCluster, prometheus_stats, agent, sds-grpc, xds-grpc.
 */
export const STATIC_CLUSTERS = 7;
/**
 * Clusters of one control-plane revision in the control plane's namespace, which every scoped
 * Sidecar keeps (`<root namespace>/*`): istiod's four Service ports (15010, 15012, 443, 15014;
 * istio/istio `manifests/charts/istio-control/istio-discovery/templates/service.yaml`).
 */
export const CONTROL_PLANE_CLUSTERS = 4;
/**
 * Clusters of the default ingress gateway's Service in the control plane's namespace: ports
 * 15021, 80 and 443 (istio/istio `manifests/charts/gateways/istio-ingress/values.yaml`).
 */
export const GATEWAY_CLUSTERS = 3;
/**
 * Bytes per cluster: the upper bound of Envoy's memory test of a bare static cluster (no hosts,
 * no TLS, no EDS), `MemoryLargeClusterSize` in envoyproxy/envoy
 * `test/integration/stats_integration_test.cc` (`EXPECT_MEMORY_LE(m_per_cluster, 42000)`). An
 * Istio cluster (mTLS transport socket, EDS, metadata) costs more: an estimate, not a bound.
 */
export const CLUSTER_BYTES = 42_000;
/**
 * Bytes per upstream host: the upper bound of Envoy's `MemoryLargeHostSizeWithStats` in the same
 * test (`EXPECT_MEMORY_LE(m_per_host, 3000)`).
 */
export const HOST_BYTES = 3_000;

/** How the estimates are made, for reports. */
export const ESTIMATE_METHOD = 'estimate, not a bound: clusters = '
  + `${STATIC_CLUSTERS} static + ${CONTROL_PLANE_CLUSTERS} per control-plane revision + gateway ports in the root namespace + 1 inbound `
  + '+ per visible host one per port, and one per version\'s Service once it has two versions; memory = clusters × '
  + `${CLUSTER_BYTES} B + endpoints × ${HOST_BYTES} B (upper bounds of Envoy's bare-cluster and per-host memory tests, `
  + 'envoyproxy/envoy test/integration/stats_integration_test.cc; real clusters with TLS and EDS cost more). Unscoped counts see only this app\'s hosts: in a real cluster they are higher';

/** Envoy workers of a service's proxies (concurrency 0: one per core of the CPU limit, a lower bound). */
export function workersOf(service: IMeshWorkload): number {
  const c = service.sidecar.concurrency;
  // the CPU limit is at least 1m (SidecarTuning refuses less), so this is at least one worker
  return c > 0 ? c : Math.ceil(cpuMillis(service.sidecar.cpuLimit) / 1000);
}

const sum = (xs: number[]) => xs.reduce((n, x) => n + x, 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * What one dependency may open, from its protocol (Envoy's connection pooling,
 * `intro/arch_overview/upstream/connection_pooling`, and circuit breaking,
 * `intro/arch_overview/upstream/circuit_breaking`):
 *
 * - each worker keeps its own pool per upstream host, so warm HTTP pools hold one connection
 *   per worker per host (the floor);
 * - `maxConnections` is per cluster (port, version's Service), summed over workers, and soft: "Envoy will
 *   ensure that a host selected by cluster load balancing has at least one connection
 *   allocated", up to `max_connections + endpoints × pools` (pools: one per worker);
 * - TCP is 1:1 with the app's own connections; HTTP/1.1 needs one connection per in-flight
 *   request; HTTP/2 multiplexes streams, one connection per worker per host until the
 *   callee's stream limit.
 */
export function connectionsOf(dependency: Dependency): DependencyConnections {
  const { caller, callee, port } = dependency;
  if (!caller.sidecarInjected) return withoutProxy(dependency);
  const workers = workersOf(caller);
  const allCores = caller.sidecar.concurrency === 0;
  const protocol = callee.upstreamProtocolOf(port);
  const callerReplicas = caller.totalReplicas;
  const clusters: ClusterConnections[] = callee.upstreamClustersOf(port).map((c) => {
    const warm = workers * c.endpoints;
    return {
      cluster: c.name,
      endpoints: c.endpoints,
      maxConnections: c.maxConnections,
      // with concurrency 0 the workers are the node's cores: the overshoot has no known bound
      softCapOvershoot: allCores ? undefined : warm,
      hardLimit: c.maxConnections === undefined || allCores ? undefined : c.maxConnections + warm,
      warmFloor: warm,
    };
  });
  const capBound = clusters.every((c) => c.hardLimit !== undefined) ? sum(clusters.map((c) => c.hardLimit!)) : undefined;
  const warmFloor = sum(clusters.map((c) => c.warmFloor));
  const capText = () => clusters.map((c) => `maxConnections ${c.maxConnections} + ${c.endpoints} endpoints × ${workers} workers`).join(' + ');
  let floor: number;
  let worst: number | undefined;
  let method: string;
  let unbounded: string | undefined;
  if (protocol === UpstreamProtocol.TCP) {
    const pool = dependency.connections;
    floor = Math.min(pool ?? 1, capBound ?? Infinity);
    if (pool !== undefined) {
      worst = capBound === undefined ? pool : Math.min(pool, capBound);
      method = capBound !== undefined && capBound < pool ? `min(pool ${pool}, ${capText()})` : `its own pool of ${pool}, TCP 1:1`;
    } else {
      worst = capBound;
      method = capBound !== undefined ? `no pool declared, ${capText()}` : 'no pool declared';
      if (capBound === undefined) unbounded = `${caller.name} declares no pool size (talksTo connections) for TCP ${callee.displayName}, and no maxConnections caps its proxies${allCores ? ' with a known worker count' : ''}`;
    }
  } else if (protocol === UpstreamProtocol.HTTP1) {
    floor = warmFloor;
    const demand = dependency.concurrentRequests;
    const byDemand = demand === undefined || allCores ? undefined : warmFloor + demand;
    worst = byDemand === undefined ? capBound : capBound === undefined ? byDemand : Math.min(byDemand, capBound);
    method = worst === undefined ? 'HTTP/1.1, no bound'
      : worst === byDemand ? `HTTP/1.1: ${workers} workers × ${warmFloor / workers} endpoints warm + ${demand} in flight`
        : `HTTP/1.1 up to the soft cap: ${capText()}`;
    if (worst === undefined) {
      unbounded = allCores ? `${caller.name} runs sidecar concurrency 0 (one Envoy worker per node core), so its HTTP/1.1 pools to ${callee.displayName} have no known bound`
        : `${caller.name} declares no concurrentRequests for HTTP/1.1 ${callee.displayName}, and no maxConnections caps its proxies`;
    }
  } else {
    floor = warmFloor;
    const streams = dependency.streamsPerConnection;
    const demand = dependency.concurrentRequests;
    let byDemand: number | undefined;
    if (allCores) byDemand = undefined;
    else if (streams === undefined) byDemand = warmFloor;
    else if (demand !== undefined) byDemand = warmFloor + Math.ceil(demand / streams);
    worst = byDemand === undefined ? capBound : capBound === undefined ? byDemand : Math.min(byDemand, capBound);
    method = worst === undefined ? 'HTTP/2, no bound'
      : worst === byDemand ? (streams === undefined ? `HTTP/2: one per worker per host, ${workers} workers × ${warmFloor / workers} endpoints`
        : `HTTP/2: ${workers} workers × ${warmFloor / workers} endpoints + ${demand} streams / ${streams} per connection`)
        : `HTTP/2 up to the soft cap: ${capText()}`;
    if (worst === undefined) {
      unbounded = allCores ? `${caller.name} runs sidecar concurrency 0 (one Envoy worker per node core), so its HTTP/2 pools to ${callee.displayName} have no known bound`
        : `${caller.name} limits streams per connection to ${callee.displayName} but declares no concurrentRequests, and no maxConnections caps its proxies`;
    }
  }
  return withTotals({
    dependency,
    protocol,
    workers,
    allCores,
    callerReplicas,
    clusters,
    floorPerProxy: floor,
    worstCasePerProxy: worst,
    method,
    unboundedBecause: unbounded,
  });
}

/** A share's totals over the caller's replicas, from its per-proxy floor and worst case. */
function withTotals(share: Omit<DependencyConnections, 'floor' | 'worstCase'>): DependencyConnections {
  const { callerReplicas, floorPerProxy, worstCasePerProxy } = share;
  return {
    ...share,
    floor: callerReplicas * floorPerProxy,
    worstCase: worstCasePerProxy === undefined ? undefined : callerReplicas * worstCasePerProxy,
  };
}

/**
 * A caller without a sidecar has no Envoy: no per-worker pools, and no circuit breaker applies
 * the callee's `maxConnections` to its calls (the cap is a cluster setting of the calling Envoy,
 * Envoy `intro/arch_overview/upstream/circuit_breaking`; the library writes no DestinationRule for
 * such a caller either). What it opens is its app's own: its pool for TCP, one connection per
 * in-flight request for HTTP/1.1, and for HTTP/2 one connection, or one per `streamsPerConnection`
 * concurrent requests.
 */
function withoutProxy(dependency: Dependency): DependencyConnections {
  const { caller, callee, port } = dependency;
  const protocol = callee.upstreamProtocolOf(port);
  const pool = dependency.connections;
  const demand = dependency.concurrentRequests;
  const streams = dependency.streamsPerConnection;
  let worst: number | undefined;
  let method: string;
  let unbounded: string | undefined;
  const nothingCaps = `${caller.name} has no sidecar, so no maxConnections caps its calls,`;
  if (protocol === UpstreamProtocol.TCP) {
    worst = pool;
    method = pool === undefined ? 'no sidecar, no pool declared' : `no sidecar: its own pool of ${pool}`;
    if (pool === undefined) unbounded = `${nothingCaps} and it declares no pool size (talksTo connections) for TCP ${callee.displayName}`;
  } else if (protocol === UpstreamProtocol.HTTP1) {
    worst = demand;
    method = demand === undefined ? 'no sidecar, HTTP/1.1, no bound' : `no sidecar: HTTP/1.1, ${demand} in flight`;
    if (demand === undefined) unbounded = `${nothingCaps} and it declares no concurrentRequests for HTTP/1.1 ${callee.displayName}`;
  } else {
    worst = streams === undefined ? 1 : demand === undefined ? undefined : Math.max(1, Math.ceil(demand / streams));
    method = worst === undefined ? 'no sidecar, HTTP/2, no bound'
      : streams === undefined ? 'no sidecar: HTTP/2, one connection' : `no sidecar: HTTP/2, ${demand} streams / ${streams} per connection`;
    if (worst === undefined) unbounded = `${nothingCaps} and it limits streams per connection to ${callee.displayName} but declares no concurrentRequests`;
  }
  // TCP is the app's pool, as with a sidecar; HTTP holds at least the one connection it calls on.
  const floor = protocol === UpstreamProtocol.TCP ? pool ?? 1 : 1;
  return withTotals({
    dependency,
    protocol,
    workers: 0,
    allCores: false,
    callerReplicas: caller.totalReplicas,
    clusters: [],
    floorPerProxy: floor,
    worstCasePerProxy: worst,
    method,
    unboundedBecause: unbounded,
  });
}

/** "orders: 16 replicas × 50 (its own pool of 50, TCP 1:1) = 800" */
export function describeShare(c: DependencyConnections): string {
  const per = c.worstCasePerProxy === undefined ? 'unbounded' : String(c.worstCasePerProxy);
  return `${c.dependency.caller.name}: ${plural(c.callerReplicas, 'replica')} × ${per} (${c.method}) = ${c.worstCase ?? 'unbounded'}`;
}
