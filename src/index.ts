// The package entry: names, not files. Every name here is in the jsii assembly
// (scripts/check-exports.mjs checks it at compile); internals stay in src/private/ and feature files.

// core constructs and value classes
export { IstioApiVersion } from './istio-api-version';
export { MeshProtocol } from './mesh-protocol';
export { SidecarTuning, type SidecarTuningProps } from './sidecar-tuning';
export { DisruptionBudget } from './disruption-budget';
export { TopologySpread, type TopologySpreadProps, WhenUnsatisfiable } from './topology-spread';
export { TrafficPolicy, type TrafficPolicyProps } from './traffic-policy';
export { RetryPolicy, type RetryPolicyProps } from './retry-policy';
export { HeaderMatchType, type HeaderRoute, type ServiceRouting, type VersionWeight } from './service-routing';
export { HeaderMatch } from './header-match';
export { MeshedService, type MeshedServiceAddVersionOptions, type MeshedServiceProps, type MeshedServiceVersionOptions } from './meshed-service';
export { CanaryRelease, type CanaryReleaseProps } from './canary-release';
export { Mesh } from './mesh';

// control plane
export { StatsInclusion, type StatsInclusionProps } from './control-plane/stats-inclusion';
export { TracingProvider, TracingSampling } from './control-plane/tracing';
export { ControlPlaneProfile, type IngressGatewayOptions, IstiodAntiAffinity, type IstiodOptions, TunedControlPlane, type TunedControlPlaneProps } from './control-plane/tuned-control-plane';

// dependency graph
export { CallerIdentity } from './graph/caller-identity';
export { DefaultDeny, type DefaultDenyProps } from './graph/default-deny';
export { type Dependency, type ICallee, type IMeshWorkload, type MeshedServiceTalksToOptions, type UpstreamCluster, UpstreamProtocol } from './graph/dependency';
export { type ClusterConnections, type ClusterEstimateOptions, type DependencyConnections, DependencyGraph, type InboundBudget, type ProxyBudget } from './graph/dependency-graph';
export { DependencyPolicy } from './graph/dependency-policy';
export { ExternalProtocol, ExternalService, type ExternalServicePort, type ExternalServiceProps } from './graph/external-service';

// north–south entry
export { IngressTls } from './ingress/ingress-tls';
export { IngressApi, ServiceIngress, type ServiceIngressProps } from './ingress/service-ingress';

// mTLS migration
export { MtlsMigration, type MtlsMigrationProps, type MtlsPolicy, type MtlsPortException } from './mtls/mtls-migration';
export { MtlsMode, MtlsScope, MtlsScopeKind } from './mtls/mtls-scope';
export { OutsideClient, type OutsideClientOptions } from './mtls/outside-client';

// mesh rules
export { type MeshRuleDescription, type MeshRuleFinding, MeshRuleLevel, MeshRules, type MeshRulesOptions } from './rules/mesh-rules';
