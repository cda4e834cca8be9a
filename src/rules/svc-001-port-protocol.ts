import { MeshRule, RuleHit } from './rule';
import { asArray, isObject } from '../private/json';

/** Protocols Istio recognises from a port name prefix (`<protocol>[-<suffix>]`). */
const PROTOCOLS = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'mongo', 'mysql', 'redis', 'tcp', 'tls', 'udp'];

function declaresProtocol(name: string): boolean {
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
      if (svc.spec?.type === 'ExternalName') continue;
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
