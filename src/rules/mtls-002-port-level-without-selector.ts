import { MeshRule, RuleHit } from './rule';
import { isObject, stringMap } from '../private/json';

/**
 * MESH-MTLS-002: portLevelMtls on a mesh- or namespace-wide PeerAuthentication. istiod's webhook
 * rejects it: pkg/config/validation/validation.go ValidatePeerAuthentication, "mesh/namespace peer
 * authentication cannot have port level mTLS" (1.22.8 and later); from 1.23 the CRD rejects it too.
 */
export const mtlsPortLevelWithoutSelector: MeshRule = {
  id: 'MESH-MTLS-002',
  level: 'error',
  info: '`portLevelMtls` on a mesh- or namespace-wide PeerAuthentication (no workload selector)',
  explanation: 'Port-level mTLS names ports of particular workloads, so Istio only honours it on a PeerAuthentication '
    + 'with a workload selector. Without one the apply fails: istiod\'s validating webhook rejects it ("mesh/namespace '
    + 'peer authentication cannot have port level mTLS", 1.22 and later), and from 1.23 the CRD\'s own validation does too.',
  fix: 'move the port-level settings to a PeerAuthentication with `selector.matchLabels` for the workload that owns the port',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const pa of objects.peerAuthentications()) {
      if (!isObject(pa.spec?.portLevelMtls) || Object.keys(pa.spec.portLevelMtls).length === 0) continue;
      if (Object.keys(stringMap(pa.spec?.selector?.matchLabels)).length > 0) continue;
      hits.push({
        object: pa,
        location: '/spec/portLevelMtls',
        message: `sets portLevelMtls for port(s) ${Object.keys(pa.spec.portLevelMtls).join(', ')} without a workload selector`,
      });
    }
    return hits;
  },
};
