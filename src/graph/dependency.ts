import { IConstruct } from 'constructs';
import { fail } from '../private/errors';
import type { MeshedService } from '../meshed-service';

/**
 * Something a MeshedService can call with `talksTo`: another MeshedService of the app, or an
 * ExternalService (a host outside the cluster, or a cluster Service this app does not deploy).
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
  readonly caller: MeshedService;
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

/** Throws unless `value` is undefined or a whole number from 1 to 2^31-1. @internal */
export function checkCount(scope: IConstruct, prop: string, value: number | undefined, fix: string): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1)) {
    fail(scope, prop, value, 'must be a whole number from 1 to 2147483647', fix);
  }
  return value;
}
