// The IstioOperator shape TunedControlPlane writes (install.istio.io/v1alpha1, checked by the
// strict schema in CI). Wire types only: internal to the control-plane feature, never exported.

export interface IstioOperatorSpec {
  readonly profile?: string;
  readonly revision?: string;
  readonly hub?: string;
  readonly tag?: string;
  readonly meshConfig?: { readonly defaultConfig?: ProxyConfig; readonly extensionProviders?: ExtensionProvider[] };
  readonly components?: { readonly pilot?: { readonly k8s?: KubernetesResources }; readonly ingressGateways?: GatewayComponent[] };
  readonly values?: IopValues;
}

export interface ProxyConfig {
  readonly concurrency?: number;
  readonly holdApplicationUntilProxyStarts?: boolean;
  readonly proxyStatsMatcher?: ProxyStatsMatcher;
  readonly tracing?: { readonly sampling: number; readonly zipkin: { readonly address: string } };
}

export interface ProxyStatsMatcher {
  readonly inclusionPrefixes?: string[];
  readonly inclusionSuffixes?: string[];
  readonly inclusionRegexps?: string[];
}

export interface ExtensionProvider {
  readonly name: string;
  readonly zipkin?: { readonly service: string; readonly port: number };
  readonly opentelemetry?: { readonly service: string; readonly port: number };
}

export interface KubernetesResources {
  readonly hpaSpec?: { readonly minReplicas: number; readonly maxReplicas: number };
  readonly podDisruptionBudget?: { readonly maxUnavailable: number };
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  readonly affinity?: { readonly podAntiAffinity: Record<string, unknown> };
}

export interface GatewayComponent {
  readonly name: string;
  readonly enabled: boolean;
  readonly k8s?: KubernetesResources;
}

/** Replica counts as chart values: what the istiod and gateway charts read to render their HPA and PDB. */
export interface AutoscaleValues {
  readonly autoscaleEnabled: boolean;
  readonly autoscaleMin: number;
  readonly autoscaleMax: number;
}

export interface IopValues {
  readonly global?: { readonly istioNamespace: string };
  readonly pilot?: AutoscaleValues;
  readonly gateways?: Record<string, AutoscaleValues>;
}
