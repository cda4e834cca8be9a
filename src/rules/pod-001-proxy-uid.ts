import { MeshRule, RuleHit } from './rule';
import { PROXY_UID } from '../private/istio-facts';
import { asArray, isObject } from '../private/json';

/** The proxy's UID: iptables lets its traffic out uncaptured. */

/** MESH-POD-001: an application container running as UID 1337 (IST0144). */
export const podProxyUid: MeshRule = {
  id: 'MESH-POD-001',
  // A warning, as istioctl analyze has it (pkg/config/analysis/msg/messages.yaml IST0144): the pod runs,
  // its traffic bypasses the proxy.
  level: 'warning',
  istioCodes: ['IST0144'],
  info: 'application container running as UID 1337, the proxy\'s UID (IST0144)',
  explanation: 'The sidecar\'s iptables rules let traffic from UID 1337 out unredirected, so the proxy does not loop on '
    + 'itself. An application running as 1337 bypasses the proxy: its calls skip mTLS, routing, retries and '
    + 'authorization policy, without any error.',
  fix: 'run the application as another UID (e.g. 1000) in its `securityContext.runAsUser` and the pod\'s',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const t of objects.podTemplates()) {
      if (objects.injection(t) === 'off') continue;
      const podUid = t.spec?.securityContext?.runAsUser;
      asArray(t.spec?.containers).forEach((c, i) => {
        if (!isObject(c) || c.name === 'istio-proxy') return;
        const own = c.securityContext?.runAsUser;
        const uid = own ?? podUid;
        if (Number(uid) !== PROXY_UID) return;
        hits.push({
          object: t.object,
          location: own !== undefined ? `${t.path}/spec/containers/${i}/securityContext/runAsUser` : `${t.path}/spec/securityContext/runAsUser`,
          message: `container ${JSON.stringify(c.name)} runs as UID ${PROXY_UID}${own === undefined ? ' (from the pod securityContext)' : ''}`,
        });
      });
    }
    return hits;
  },
};
