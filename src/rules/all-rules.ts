// Every mesh rule, in the order of RULES.md. Ids are stable: never reuse one for another meaning.
import { annUnknown } from './ann-001-unknown-annotation';
import { annInvalid } from './ann-002-invalid-annotation';
import { annDeprecated } from './ann-003-deprecated-annotation';
import { cpIstiodHa } from './cp-001-istiod-ha';
import { cpProxyConfigInMeshConfig } from './cp-002-proxy-config-in-mesh-config';
import { cpHaOnlyThroughPatches } from './cp-003-ha-only-through-patches';
import { drSubsetNoPods } from './dr-001-subset-no-pods';
import { drMaxRequestsPerConnection } from './dr-002-max-requests-per-connection';
import { drTlsWithoutCa } from './dr-003-tls-without-ca';
import { drUnknownHost } from './dr-004-unknown-host';
import { hostDuplicateConfig } from './host-001-duplicate-config';
import { hostMergedDestinationRules } from './host-002-merged-destination-rules';
import { injectOnWorkloadMetadata } from './inj-001-on-workload-metadata';
import { namespaceInjectionLabels } from './inj-002-namespace-labels';
import { namespaceNotInjected } from './inj-003-namespace-not-injected';
import { mtlsStrictWithoutSidecar } from './mtls-001-strict-without-sidecar';
import { mtlsPortLevelWithoutSelector } from './mtls-002-port-level-without-selector';
import { podProxyUid } from './pod-001-proxy-uid';
import { podInitNetwork } from './pod-002-init-network';
import { podImageAuto } from './pod-003-image-auto';
import { proxyResources } from './proxy-001-resources';
import { proxyNoEffectKeys } from './proxy-002-no-effect-keys';
import { MeshRule } from './rule';
import { splitBypassable } from './split-001-bypassable-split';
import { servicePortProtocol } from './svc-001-port-protocol';
import { externalNamePortName } from './svc-002-external-name-port';
import { svcPortProtocolConflict } from './svc-003-port-protocol-conflict';
import { svcTargetPortConflict } from './svc-004-target-port-conflict';
import { tracingSamplingRange } from './tel-001-sampling-range';
import { tracingSamplingHigh } from './tel-002-sampling-high';
import { telemetryConflicts } from './tel-003-telemetry-conflicts';
import { telemetryAccessLogNoProvider } from './tel-004-access-log-no-provider';
import { vsWildcardHost } from './vs-001-wildcard-host';
import { vsRegexMatch } from './vs-002-regex-match';
import { vsUndefinedSubset } from './vs-003-undefined-subset';
import { vsClusterWildcardHost } from './vs-004-cluster-wildcard-host';
import { vsInvalidRegex } from './vs-005-invalid-regex';
import { vsDestinationNotFound } from './vs-006-destination-not-found';
import { vsMirrorNotFound } from './vs-007-mirror-not-found';
import { vsDestinationPortRequired } from './vs-008-destination-port-required';
import { vsIngressBypassesSubsets } from './vs-009-ingress-bypasses-subsets';

export const ALL_RULES: readonly MeshRule[] = [
  vsWildcardHost,
  vsRegexMatch,
  vsUndefinedSubset,
  vsClusterWildcardHost,
  vsInvalidRegex,
  vsDestinationNotFound,
  vsMirrorNotFound,
  vsDestinationPortRequired,
  vsIngressBypassesSubsets,
  splitBypassable,
  drSubsetNoPods,
  hostDuplicateConfig,
  hostMergedDestinationRules,
  injectOnWorkloadMetadata,
  annUnknown,
  annInvalid,
  annDeprecated,
  namespaceInjectionLabels,
  namespaceNotInjected,
  mtlsStrictWithoutSidecar,
  mtlsPortLevelWithoutSelector,
  proxyResources,
  drMaxRequestsPerConnection,
  drTlsWithoutCa,
  drUnknownHost,
  tracingSamplingRange,
  tracingSamplingHigh,
  telemetryConflicts,
  telemetryAccessLogNoProvider,
  proxyNoEffectKeys,
  servicePortProtocol,
  externalNamePortName,
  svcPortProtocolConflict,
  svcTargetPortConflict,
  podProxyUid,
  podInitNetwork,
  podImageAuto,
  cpIstiodHa,
  cpProxyConfigInMeshConfig,
  cpHaOnlyThroughPatches,
];

/** The rule with this id, if any. */
export function ruleById(id: string): MeshRule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
