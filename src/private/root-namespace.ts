import { IConstruct } from 'constructs';
import { fail } from './errors';
import { ISTIO_SYSTEM } from './istio-facts';
import { checkDnsLabel } from './names';
import { MeshRegistry } from './registry';

/** The mesh root namespace of an App, and where the library learned it (for messages). @internal */
export interface RootNamespaceFact {
  readonly namespace: string;
  /** e.g. `the namespace of app/control/istio`, for error messages. */
  readonly source: string;
}

/** What a control plane tells the app-wide view (TunedControlPlane implements it). @internal */
export interface ControlPlaneFacts extends IConstruct {
  readonly namespace: string;
  /** Sidecar egress hosts (`<namespace>/<host>`) of the collectors the control plane sends telemetry to. */
  readonly _collectorEgressHosts: string[];
}

/**
 * The mesh root namespace: the one app-wide fact every construct and rule reads (Sidecar egress,
 * gateway principals, the mesh-wide PeerAuthentication, DefaultDeny and policy guards).
 *
 * In order: `Mesh.declareRootNamespace(...)`, else the namespace of the app's TunedControlPlane
 * (istioctl makes the namespace in `values.global.istioNamespace` the root namespace: the istiod
 * chart writes `rootNamespace: {{ .Values.meshConfig.rootNamespace | default
 * .Values.global.istioNamespace }}`, manifests/charts/istio-control/istio-discovery/templates/configmap.yaml,
 * 1.22-1.30), else Istio's default `istio-system`. Read at render and validation time, never
 * at construction, so the order constructs are created in does not matter. @internal
 */
export function rootNamespaceOf(scope: IConstruct): RootNamespaceFact {
  const registry = MeshRegistry.of(scope);
  if (registry.declaredRootNamespace) return registry.declaredRootNamespace;
  const controlPlane = registry.list<ControlPlaneFacts>('control-plane')[0];
  if (controlPlane) return { namespace: controlPlane.namespace, source: `the namespace of the TunedControlPlane ${controlPlane.node.path}` };
  return { namespace: ISTIO_SYSTEM, source: 'Istio\'s default (the app has no TunedControlPlane and no Mesh.declareRootNamespace)' };
}

/** Egress hosts every scoped Sidecar needs for the mesh itself: the root namespace and the telemetry collectors. @internal */
export function meshEgressHosts(scope: IConstruct): string[] {
  const registry = MeshRegistry.of(scope);
  return registry.memo('mesh-egress-hosts', () => {
    const hosts = new Set([`${rootNamespaceOf(scope).namespace}/*`]);
    for (const cp of registry.list<ControlPlaneFacts>('control-plane')) cp._collectorEgressHosts.forEach((h) => hosts.add(h));
    return [...hosts];
  });
}

/**
 * Records the app's root namespace, once: a second, different declaration is refused. @internal
 *
 * @param who what declares it, for messages (e.g. `Mesh.declareRootNamespace at app/chart`)
 */
export function declareRootNamespace(scope: IConstruct, prop: string, namespace: string, who: string): void {
  checkDnsLabel(scope, prop, namespace);
  const registry = MeshRegistry.of(scope);
  const declared = registry.declaredRootNamespace;
  if (declared && declared.namespace !== namespace) {
    fail(scope, prop, namespace, `declares the mesh root namespace a second time: ${declared.source} says ${JSON.stringify(declared.namespace)}, and a mesh has one root namespace`,
      `declare it once, with the namespace of the control plane (e.g. ${JSON.stringify(declared.namespace)}), and remove the other declaration`);
  }
  if (!declared) registry.declaredRootNamespace = { namespace, source: who };
}
