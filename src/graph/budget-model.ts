// The connection and cluster model the dependency graph and its report share. Internal to graph/.
import type { IMeshWorkload } from './dependency';
import type { DependencyConnections } from './dependency-graph';
import { ISTIO_SYSTEM } from '../private/istio-facts';
import { cpuMillis } from '../private/units';

/**
 * Clusters every proxy gets whatever its scope (Istio 1.22-1.30): BlackHoleCluster,
 * PassthroughCluster, InboundPassthroughCluster, prometheus_stats, agent, sds-grpc, xds-grpc.
 */
export const STATIC_CLUSTERS = 7;
/**
 * Clusters of the control plane's namespace, which every scoped Sidecar keeps (`istio-system/*`):
 * istiod's four ports (15010, 15012, 443, 15014). A gateway installed there adds its own.
 */
export const CONTROL_PLANE_CLUSTERS = 4;
/** Memory Envoy's own tests bound one cluster at (MESH-FACTS). */
export const CLUSTER_KIB = 40;
/** The namespace every scoped Sidecar keeps in its egress hosts. */
export const CONTROL_PLANE_NAMESPACE = ISTIO_SYSTEM;

/** "orders: 1 replica × 16 workers × 50 per worker = 800" */
export function describeShare(c: DependencyConnections): string {
  const replicas = `${c.callerReplicas} replica${c.callerReplicas === 1 ? '' : 's'}`;
  const open = c.allCores ? 'one worker per node core' : `${c.workers} worker${c.workers === 1 ? '' : 's'} × ${c.connectionsPerWorker} per worker`;
  const perProxy = c.maxConnectionsPerProxy !== undefined && (c.allCores || c.maxConnectionsPerProxy < c.workers * c.connectionsPerWorker)
    ? `min(${open}, maxConnections ${c.maxConnectionsPerProxy})` : open;
  return `${c.dependency.caller.name}: ${replicas} × ${perProxy} = ${c.total}`;
}

/** Envoy workers of a service's proxies (concurrency 0: one per core of the CPU limit, a lower bound). */
export function workersOf(service: IMeshWorkload): number {
  const c = service.sidecar.concurrency;
  return c > 0 ? c : Math.max(1, Math.ceil(cpuMillis(service.sidecar.cpuLimit) / 1000));
}
