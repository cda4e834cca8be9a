import { IConstruct } from 'constructs';
import { MeshedService } from './meshed-service';

/**
 * The app-wide view: which meshed workloads exist in the App, found from the construct tree.
 * Queried at validation/synth time, never copied, so it always reflects the whole App.
 */
export class Mesh {
  /** Every MeshedService in the App that `scope` belongs to, in construct-tree order. */
  public static servicesOf(scope: IConstruct): MeshedService[] {
    return scope.node.root.node.findAll().filter((c): c is MeshedService => MeshedService.isMeshedService(c));
  }

  /** MeshedServices of the App in a namespace (services without a known namespace never match). */
  public static servicesInNamespace(scope: IConstruct, namespace: string): MeshedService[] {
    return Mesh.servicesOf(scope).filter((s) => s.namespace === namespace);
  }

  private constructor() {}
}
