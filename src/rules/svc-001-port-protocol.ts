import { INJECTOR_IGNORED_NAMESPACES, nsOf } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { asArray, isObject, stringMap } from '../private/json';

/**
 * Services the analyzer leaves alone: istioctl analyze never reads the injector's ignored
 * namespaces (pkg/config/analysis/local/istiod_analyze.go, inject.IgnoredNamespaces), and
 * pkg/config/analysis/analyzers/service/portname.go skips the control plane
 * (util.IsIstioControlPlane: label `istio`, or `release: istio`) and gateway-managed Services.
 */
function skippedByAnalyzer(svc: any): boolean {
  if (INJECTOR_IGNORED_NAMESPACES.has(nsOf(svc))) return true;
  const labels = stringMap(svc.metadata?.labels);
  if (labels.istio !== undefined || labels.release === 'istio') return true;
  return ['istio.io-gateway-controller', 'istio.io-mesh-controller', 'istio.io-eastwest-controller'].includes(labels['gateway.istio.io/managed']);
}

/** Protocols Istio recognises from a port name prefix (`<protocol>[-<suffix>]`). */
const PROTOCOLS = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'mongo', 'mysql', 'redis', 'tcp', 'tls', 'udp'];

/** Whether a port name declares a protocol (`<protocol>` or `<protocol>-<suffix>`). */
export function declaresProtocol(name: string): boolean {
  const n = name.toLowerCase();
  return PROTOCOLS.some((p) => n === p || n.startsWith(`${p}-`));
}

/** MESH-SVC-001: Service ports whose name or appProtocol does not declare the protocol (IST0118). */
export const servicePortProtocol: MeshRule = {
  id: 'MESH-SVC-001',
  level: 'warning',
  istioCodes: ['IST0118'],
  info: 'Service port whose name or `appProtocol` does not declare the protocol (IST0118)',
  explanation: 'Istio picks HTTP or TCP handling from the port\'s `appProtocol`, or from its name (`http`, `grpc-api`, '
    + '`tcp-db`...). Otherwise it sniffs the first bytes of each connection, which adds latency, breaks server-first '
    + 'protocols (MySQL, SMTP) and silently falls back to plain TCP: no retries, timeouts or HTTP metrics.',
  fix: 'set `appProtocol` (http, http2, grpc, tcp, ...) on the port, or name it `<protocol>` or `<protocol>-<suffix>`',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const svc of objects.ofKind('Service')) {
      if (svc.spec?.type === 'ExternalName' || skippedByAnalyzer(svc)) continue; // ExternalName: IST0150's concern
      asArray(svc.spec?.ports).forEach((p, i) => {
        if (!isObject(p) || String(p.protocol ?? 'TCP').toUpperCase() === 'UDP') return;
        if (typeof p.appProtocol === 'string' && p.appProtocol) return;
        if (typeof p.name === 'string' && declaresProtocol(p.name)) return;
        hits.push({
          object: svc,
          location: `/spec/ports/${i}`,
          message: `port ${p.port ?? '?'} ${p.name ? `is named ${JSON.stringify(p.name)}` : 'has no name'} and no appProtocol, so Istio has to sniff its protocol`,
        });
      });
    }
    return hits;
  },
};
