import { nsOf } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { declaresProtocol } from './svc-001-port-protocol';
import { asArray, isObject } from '../private/json';

/**
 * MESH-SVC-002: an ExternalName Service port whose name declares no protocol, or is `tcp`
 * (IST0150), as pkg/config/analysis/analyzers/service/portname.go reports it for ExternalName
 * Services (protocol from appProtocol or the name unsupported, or the name exactly `tcp`).
 */
export const externalNamePortName: MeshRule = {
  id: 'MESH-SVC-002',
  level: 'warning',
  istioCodes: ['IST0150'],
  info: 'ExternalName Service port named `tcp` or without a protocol in its name or appProtocol (IST0150)',
  explanation: 'Istio turns an ExternalName Service into a DNS-resolved service entry. With a port named `tcp`, or one '
    + 'whose protocol must be sniffed, the proxy may not forward TCP traffic for it, or traffic that matches no route, correctly.',
  fix: 'name the port for its protocol (`http-web`, `tls-db`, `mongo`...) or set its `appProtocol`',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const svc of objects.ofKind('Service')) {
      if (svc.spec?.type !== 'ExternalName') continue;
      asArray(svc.spec?.ports).forEach((p, i) => {
        if (!isObject(p) || String(p.protocol ?? 'TCP').toUpperCase() === 'UDP') return;
        const name = typeof p.name === 'string' ? p.name : '';
        const app = typeof p.appProtocol === 'string' ? p.appProtocol : '';
        if (name !== 'tcp' && (declaresProtocol(app) || declaresProtocol(name))) return;
        hits.push({ object: svc, location: `/spec/ports/${i}`, message: `port ${p.port ?? '?'} of ExternalName Service ${nsOf(svc)}/${svc.metadata?.name} is named ${JSON.stringify(name)}${name === 'tcp' ? '' : ' without a protocol'}` });
      });
    }
    return hits;
  },
};
