import { IConstruct } from 'constructs';
import { MeshedService } from './meshed-service';

/** Per App root: the MeshedServices created in it, in creation order. */
const REGISTRY = new WeakMap<IConstruct, MeshedService[]>();
/** Per App root: services by host, rebuilt when services were added since. */
const BY_HOST = new WeakMap<IConstruct, { count: number; index: Map<string, MeshedService[]> }>();

/**
 * The app-wide view: which meshed workloads exist in the App.
 *
 * Every MeshedService registers itself with its App's root when it is constructed, so a query
 * is a lookup, not a walk of the whole construct tree (validations of N services would
 * otherwise cost N walks). Queried at validation/synth time, never copied.
 */
export class Mesh {
  /** Every MeshedService in the App that `scope` belongs to, in creation order. */
  public static servicesOf(scope: IConstruct): MeshedService[] {
    return [...(REGISTRY.get(scope.node.root) ?? [])];
  }

  /** MeshedServices of the App in a namespace (services without a known namespace never match). */
  public static servicesInNamespace(scope: IConstruct, namespace: string): MeshedService[] {
    return Mesh.servicesOf(scope).filter((s) => s.namespace === namespace);
  }

  /** MeshedServices of the App that serve a host. */
  public static servicesForHost(scope: IConstruct, host: string): MeshedService[] {
    const root = scope.node.root;
    const services = REGISTRY.get(root) ?? [];
    let cached = BY_HOST.get(root);
    if (!cached || cached.count !== services.length) {
      const index = new Map<string, MeshedService[]>();
      for (const s of services) index.set(s.host, [...(index.get(s.host) ?? []), s]);
      cached = { count: services.length, index };
      BY_HOST.set(root, cached);
    }
    return [...(cached.index.get(host) ?? [])];
  }

  /** Called by MeshedService's constructor. @internal */
  public static _register(service: MeshedService): void {
    const root = service.node.root;
    const list = REGISTRY.get(root);
    if (list) list.push(service);
    else REGISTRY.set(root, [service]);
  }

  private constructor() {}
}
