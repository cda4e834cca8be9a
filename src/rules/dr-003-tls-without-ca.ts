import { MeshRule, RuleHit } from './rule';
import { asArray, isObject } from '../private/json';

/**
 * MESH-DR-003: DestinationRule TLS origination without CA certificates (IST0128, IST0129), as
 * pkg/config/analysis/analyzers/destinationrule/ca-certificates.go: mode SIMPLE or MUTUAL, no
 * `caCertificates`, unless a `credentialName` is given on a DestinationRule with a workloadSelector.
 */
export const drTlsWithoutCa: MeshRule = {
  id: 'MESH-DR-003',
  level: 'warning',
  istioCodes: ['IST0128', 'IST0129'],
  info: 'DestinationRule TLS mode SIMPLE or MUTUAL without `caCertificates` to verify the server (IST0128, IST0129)',
  explanation: 'With TLS origination and no CA certificates, the proxy verifies the server against the OS CA bundle '
    + '(istiod\'s VERIFY_CERTIFICATE_AT_CLIENT, on by default in 1.22, pilot/pkg/features/pilot.go) or not at all where '
    + 'that is turned off: a server signed by a private CA fails, and any publicly trusted certificate for the host is accepted.',
  fix: 'set `tls.caCertificates` (a file mounted in the proxy) or `credentialName` with a workloadSelector, naming the CA that signs the server',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const dr of objects.destinationRules()) {
      const selector = isObject(dr.spec?.workloadSelector);
      const judge = (tls: any, location: string, where: string) => {
        if (!isObject(tls) || (tls.mode !== 'SIMPLE' && tls.mode !== 'MUTUAL')) return;
        if (typeof tls.caCertificates === 'string' && tls.caCertificates) return;
        if (typeof tls.credentialName === 'string' && tls.credentialName && selector) return;
        hits.push({ object: dr, location, message: `TLS mode ${tls.mode} for ${dr.spec?.host}${where} has no caCertificates to verify the server` });
      };
      judge(dr.spec?.trafficPolicy?.tls, '/spec/trafficPolicy/tls', '');
      asArray(dr.spec?.trafficPolicy?.portLevelSettings).forEach((p, i) => judge(p?.tls, `/spec/trafficPolicy/portLevelSettings/${i}/tls`, ` port ${p?.port?.number ?? '?'}`));
    }
    return hits;
  },
};
