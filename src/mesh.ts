import { IConstruct } from 'constructs';
import type { MeshedService } from './meshed-service';
import { MeshRegistry } from './private/registry';

/**
 * The app-wide view: which meshed workloads exist in the App.
 *
 * Every MeshedService registers itself with its App when it is constructed, so a query is a
 * lookup, not a walk of the whole construct tree (validations of N services would otherwise
 * cost N walks). Queried at validation/synth time, never copied.
 */
export class Mesh {
  /** Every MeshedService in the App that `scope` belongs to, in creation order. */
  public static servicesOf(scope: IConstruct): MeshedService[] {
    return MeshRegistry.of(scope).list<MeshedService>('workload');
  }

  /** MeshedServices of the App in a namespace (services without a known namespace never match). */
  public static servicesInNamespace(scope: IConstruct, namespace: string): MeshedService[] {
    return Mesh.servicesOf(scope).filter((s) => s.namespace === namespace);
  }

  /** MeshedServices of the App that serve a host. */
  public static servicesForHost(scope: IConstruct, host: string): MeshedService[] {
    const registry = MeshRegistry.of(scope);
    const index = registry.memo('services-by-host', () => {
      const byHost = new Map<string, MeshedService[]>();
      for (const s of registry.list<MeshedService>('workload')) byHost.set(s.host, [...(byHost.get(s.host) ?? []), s]);
      return byHost;
    });
    return [...(index.get(host) ?? [])];
  }

  private constructor() {}
}
