import { IConstruct } from 'constructs';
import type { MeshedService } from './meshed-service';
import { fail } from './private/errors';
import { MeshRegistry } from './private/registry';
import { declareRootNamespace, rootNamespaceOf } from './private/root-namespace';

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

  /**
   * Says, once per App, where the mesh's control plane lives: the mesh root namespace
   * (`meshConfig.rootNamespace`). Every construct and rule reads it: scoped Sidecars keep its
   * hosts, `CallerIdentity.ingressGateway()` names the gateway there, MtlsMigration writes the
   * mesh-wide PeerAuthentication there, and DefaultDeny and workload policies are refused there
   * (Istio applies a root-namespace policy to every namespace).
   *
   * Needed only when the app has no TunedControlPlane (whose namespace is the root namespace)
   * and the control plane is not in `istio-system`. A TunedControlPlane in another namespace
   * is refused at synth.
   */
  public static declareRootNamespace(scope: IConstruct, namespace: string): void {
    if (!MeshRegistry.tryOf(scope)) {
      fail('Mesh.declareRootNamespace', 'scope', scope, 'must be a construct of the app (the App, a Chart or any construct in it)', 'pass the App or a Chart');
    }
    declareRootNamespace(scope, 'rootNamespace', namespace, `Mesh.declareRootNamespace at ${scope.node.path || '(the App)'}`);
  }

  /**
   * The mesh root namespace of the App that `scope` belongs to: the declared one, else the
   * TunedControlPlane's namespace, else `istio-system`.
   */
  public static rootNamespaceOf(scope: IConstruct): string {
    return rootNamespaceOf(scope).namespace;
  }

  private constructor() {}
}
