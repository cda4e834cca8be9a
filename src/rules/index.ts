// Every mesh rule, in the order of RULES.md. Ids are stable: never reuse one for another meaning.
import { cpIstiodHa } from './cp-istiod-ha';
import { cpProxyConfigInMeshConfig } from './cp-proxy-config-in-mesh-config';
import { drMaxRequestsPerConnection } from './dr-max-requests-per-connection';
import { drSubsetNoPods } from './dr-subset-no-pods';
import { hostDuplicateConfig } from './host-duplicate-config';
import { injectOnWorkloadMetadata } from './inject-on-workload-metadata';
import { mtlsPortLevelWithoutSelector } from './mtls-port-level-without-selector';
import { mtlsStrictWithoutSidecar } from './mtls-strict-without-sidecar';
import { podInitNetwork } from './pod-init-network';
import { podProxyUid } from './pod-proxy-uid';
import { proxyNoEffectKeys } from './proxy-no-effect-keys';
import { proxyResources } from './proxy-resources';
import { MeshRule } from './rule';
import { servicePortProtocol } from './service-port-protocol';
import { tracingSamplingHigh } from './tracing-sampling-high';
import { tracingSamplingRange } from './tracing-sampling-range';
import { vsRegexMatch } from './vs-regex-match';
import { vsUndefinedSubset } from './vs-undefined-subset';
import { vsWildcardHost } from './vs-wildcard-host';

export const ALL_RULES: readonly MeshRule[] = [
  vsWildcardHost,
  vsRegexMatch,
  vsUndefinedSubset,
  drSubsetNoPods,
  hostDuplicateConfig,
  injectOnWorkloadMetadata,
  mtlsStrictWithoutSidecar,
  mtlsPortLevelWithoutSelector,
  proxyResources,
  drMaxRequestsPerConnection,
  tracingSamplingRange,
  tracingSamplingHigh,
  proxyNoEffectKeys,
  servicePortProtocol,
  podProxyUid,
  podInitNetwork,
  cpIstiodHa,
  cpProxyConfigInMeshConfig,
];

/** The rule with this id, if any. */
export function ruleById(id: string): MeshRule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
