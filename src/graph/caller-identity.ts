import type { IMeshWorkload } from './dependency';
import { fail } from '../private/errors';
import { isDnsLabel, isDnsSubdomain } from '../private/names';
import { MeshRegistry } from '../private/registry';

/**
 * The mesh trust domain in principals. Istio's default; meshes with another trust domain
 * name callers with `CallerIdentity.fromPrincipal(...)`.
 */
const TRUST_DOMAIN = 'cluster.local';

/** The ServiceAccount of istioctl's ingress gateway (`serviceAccountName: {{ $gateway.name }}-service-account`, manifests/charts/gateways/istio-ingress/templates/deployment.yaml). */
const GATEWAY_SERVICE_ACCOUNT = 'istio-ingressgateway-service-account';

/**
 * Who may call a service, beyond its declared callers (`service.allowCallsFrom(...)`).
 * Rendered into the service's AuthorizationPolicy as `source.principals` or
 * `source.namespaces`; both need the caller to have a sidecar (an mTLS identity).
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export class CallerIdentity {
  /**
   * The identity of a MeshedService: its ServiceAccount in its namespace. Refused for a service
   * without a sidecar, which has no mTLS identity to present.
   */
  public static of(service: IMeshWorkload): CallerIdentity {
    if (!MeshRegistry.tryOf(service)?.workloadOf(service)) {
      fail('CallerIdentity.of', 'service', service, 'must be a MeshedService', 'pass the calling MeshedService, or use CallerIdentity.serviceAccount(namespace, name)');
    }
    if (!service.namespace) {
      fail(service, 'namespace', service.namespace, 'must be known to name the service as a caller (cluster.local/ns/<namespace>/sa/<serviceAccount>)',
        'set namespace on the service or its chart');
    }
    if (!service.sidecarInjected) {
      fail(service, 'injectSidecar', false, 'must be true to name the service as a caller: without a sidecar its calls carry no mTLS certificate, so no AuthorizationPolicy can ever match its principal',
        `set injectSidecar: true on ${service.node.path}, or do not allow it (a plaintext caller is denied by any ALLOW policy)`);
    }
    return new CallerIdentity(principalOf(service), undefined);
  }

  /** A ServiceAccount by namespace and name (e.g. a workload this app does not deploy). */
  public static serviceAccount(namespace: string, name: string): CallerIdentity {
    if (!isDnsLabel(namespace)) fail('CallerIdentity.serviceAccount', 'namespace', namespace, 'must be a DNS-1123 label', 'pass the namespace the ServiceAccount lives in');
    if (!isDnsSubdomain(name)) {
      fail('CallerIdentity.serviceAccount', 'name', name, 'must be a DNS-1123 subdomain', 'pass the ServiceAccount\'s name');
    }
    return new CallerIdentity(spiffePrincipal(namespace, name), undefined);
  }

  /** Every workload with a sidecar in a namespace. */
  public static namespace(namespace: string): CallerIdentity {
    if (!isDnsLabel(namespace)) fail('CallerIdentity.namespace', 'namespace', namespace, 'must be a DNS-1123 label', 'pass the callers\' namespace');
    return new CallerIdentity(undefined, namespace);
  }

  /**
   * The Istio ingress gateway that istioctl installs: `istio-ingressgateway-service-account`
   * (manifests/charts/gateways/istio-ingress/values.yaml), in the mesh root namespace of the
   * app (`Mesh.rootNamespaceOf`: the TunedControlPlane's namespace, or the declared one),
   * resolved when the policy is written.
   *
   * @param namespace the gateway's namespace, when it is installed somewhere else
   */
  public static ingressGateway(namespace?: string): CallerIdentity {
    if (namespace !== undefined) return CallerIdentity.serviceAccount(namespace, GATEWAY_SERVICE_ACCOUNT);
    return new CallerIdentity(undefined, undefined, true);
  }

  /** A raw principal, `<trust domain>/ns/<namespace>/sa/<serviceAccount>` (other trust domains). */
  public static fromPrincipal(principal: string): CallerIdentity {
    if (typeof principal !== 'string' || !/^[^/\s*]+\/ns\/[a-z0-9-]+\/sa\/[a-z0-9.-]+$/.test(principal)) {
      fail('CallerIdentity.fromPrincipal', 'principal', principal, 'must have the form <trust domain>/ns/<namespace>/sa/<serviceAccount>',
        'e.g. "cluster.local/ns/shop/sa/checkout"');
    }
    return new CallerIdentity(principal, undefined);
  }

  /** The principal, for a workload identity (undefined for `ingressGateway()`: its namespace is the app's root namespace, known at synth). */
  public readonly principal?: string;
  /** The namespace, for a namespace identity. */
  public readonly namespaceName?: string;
  /** True for `ingressGateway()` without a namespace: the gateway of the mesh root namespace. */
  public readonly isMeshIngressGateway: boolean;

  private constructor(principal: string | undefined, namespace: string | undefined, meshGateway: boolean = false) {
    this.principal = principal;
    this.namespaceName = namespace;
    this.isMeshIngressGateway = meshGateway;
  }

  /** The identity as text (`principal`, `namespace:<name>` or `ingress-gateway:<root namespace>`). */
  public toString(): string {
    if (this.isMeshIngressGateway) return 'ingress-gateway:<root namespace>';
    return this.principal ?? `namespace:${this.namespaceName}`;
  }

  /** The principal with the mesh root namespace known. @internal */
  public _principalIn(rootNamespace: string): string | undefined {
    return this.isMeshIngressGateway ? spiffePrincipal(rootNamespace, GATEWAY_SERVICE_ACCOUNT) : this.principal;
  }
}

/** The principal of a MeshedService (namespace known). @internal */
export function principalOf(service: IMeshWorkload): string {
  return spiffePrincipal(service.namespace!, service.serviceAccountName);
}

/** `<trust domain>/ns/<namespace>/sa/<serviceAccount>`, as AuthorizationPolicy `source.principals` names a workload. */
function spiffePrincipal(namespace: string, serviceAccount: string): string {
  return `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}
