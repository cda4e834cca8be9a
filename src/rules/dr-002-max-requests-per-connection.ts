import { KObject, MeshRule, RuleHit } from './rule';
import { asArray, isObject } from '../private/json';

/** Below this many requests per connection, the connection (and mTLS handshake) is renewed often enough to matter. */
const THRESHOLD = 100;

/** MESH-DR-002: `maxRequestsPerConnection` low enough to defeat keep-alive. */
export const drMaxRequestsPerConnection: MeshRule = {
  id: 'MESH-DR-002',
  level: 'warning',
  info: `\`connectionPool.http.maxRequestsPerConnection\` below ${THRESHOLD}, defeating keep-alive`,
  explanation: 'Every time the limit is reached the calling proxy closes the connection and opens a new one: a TCP '
    + 'handshake plus, with mTLS, a TLS 1.3 handshake (about a millisecond of CPU on each side and a round trip). '
    + 'At 10 requests per connection, one request in ten pays it. It is usually set by mistake for "keep-alive" or '
    + 'load balancing, which HTTP/2 and `idleTimeout` already handle.',
  fix: 'remove maxRequestsPerConnection (unlimited), and bound connections by time instead: `connectionPool.http.idleTimeout` or `connectionPool.tcp.maxConnectionDuration`',
  check(objects) {
    const hits: RuleHit[] = [];
    const checkPolicy = (dr: KObject, tp: any, loc: string) => {
      if (!isObject(tp)) return;
      const n = tp.connectionPool?.http?.maxRequestsPerConnection;
      // 0 is unlimited: istiod sets Envoy's max_requests_per_connection only when > 0
      // (pilot/pkg/networking/core/cluster_traffic_policy.go applyConnectionPool).
      if (typeof n === 'number' && n > 0 && n < THRESHOLD) {
        const share = (100 / n).toFixed(0);
        hits.push({
          object: dr,
          location: `${loc}/connectionPool/http/maxRequestsPerConnection`,
          message: `maxRequestsPerConnection is ${n}: a new connection, and with mTLS a new handshake, ${n === 1 ? 'for every request' : `every ${n} requests (~${share}% of requests)`}`,
        });
      }
      asArray(tp.portLevelSettings).forEach((p, i) => checkPolicy(dr, p, `${loc}/portLevelSettings/${i}`));
    };
    for (const dr of objects.destinationRules()) {
      checkPolicy(dr, dr.spec?.trafficPolicy, '/spec/trafficPolicy');
      asArray(dr.spec?.subsets).forEach((s, i) => checkPolicy(dr, s?.trafficPolicy, `/spec/subsets/${i}/trafficPolicy`));
    }
    return hits;
  },
};
