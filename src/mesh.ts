import { IConstruct } from 'constructs';
import { MeshedService } from './meshed-service';

/** What the tree held at the last query, per App root. */
interface MeshIndex {
  readonly services: MeshedService[];
  readonly byNamespace: Map<string, MeshedService[]>;
}

const INDEXES = new WeakMap<IConstruct, MeshIndex>();

/**
 * The app-wide view: which meshed workloads exist in the App, found from the construct tree.
 * Queried at validation/synth time, never copied, so it always reflects the whole App.
 *
 * Validations call it once per construct, and cdk8s runs every validation once per chart it
 * writes, so one walk of the tree per query would make synth quadratic (bench/: 220 s instead of
 * 3 s at 1,000 services). The walk is therefore remembered per App until a MeshedService is
 * added or the current synchronous turn ends (`cdk8s synth` runs in one turn).
 */
export class Mesh {
  /** Every MeshedService in the App that `scope` belongs to, in construct-tree order. */
  public static servicesOf(scope: IConstruct): MeshedService[] {
    return Mesh.index(scope).services.slice();
  }

  /** MeshedServices of the App in a namespace (services without a known namespace never match). */
  public static servicesInNamespace(scope: IConstruct, namespace: string): MeshedService[] {
    return Mesh.index(scope).byNamespace.get(namespace)?.slice() ?? [];
  }

  /**
   * Forgets the remembered view of the App of `scope` (a MeshedService was added to it).
   * @internal
   */
  public static _changed(scope: IConstruct): void {
    INDEXES.delete(scope.node.root);
  }

  private static index(scope: IConstruct): MeshIndex {
    const root = scope.node.root;
    let index = INDEXES.get(root);
    if (!index) {
      const services = root.node.findAll().filter((c): c is MeshedService => MeshedService.isMeshedService(c));
      const byNamespace = new Map<string, MeshedService[]>();
      for (const s of services) {
        if (s.namespace === undefined) continue;
        const list = byNamespace.get(s.namespace);
        if (list) list.push(s);
        else byNamespace.set(s.namespace, [s]);
      }
      index = { services, byNamespace };
      INDEXES.set(root, index);
      // Constructs can also leave the tree (tryRemoveChild) without telling us: never keep the
      // view past the synchronous turn that built it.
      queueMicrotask(() => {
        if (INDEXES.get(root) === index) INDEXES.delete(root);
      });
    }
    return index;
  }

  private constructor() {}
}
