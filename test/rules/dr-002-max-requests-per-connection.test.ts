import { check, destinationRule, lines } from './objects';
import { drMaxRequestsPerConnection } from '../../src/rules/dr-002-max-requests-per-connection';

describe('MESH-DR-002 dr-max-requests-per-connection', () => {
  test('passes unlimited (unset or 0) and high limits', () => {
    expect(check(drMaxRequestsPerConnection,
      destinationRule('a', { host: 'a', trafficPolicy: { connectionPool: { http: { idleTimeout: '1h' } } } }),
      destinationRule('b', { host: 'b', trafficPolicy: { connectionPool: { http: { maxRequestsPerConnection: 0 } } } }),
      destinationRule('c', { host: 'c', trafficPolicy: { connectionPool: { http: { maxRequestsPerConnection: 10000 } } } }))).toEqual([]);
  });

  test('warns on a low limit, in a subset policy too, with the handshake cost', () => {
    const hits = check(drMaxRequestsPerConnection, destinationRule('a', {
      host: 'a',
      trafficPolicy: { connectionPool: { http: { maxRequestsPerConnection: 10 } } },
      subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { connectionPool: { http: { maxRequestsPerConnection: 1 } } } }],
    }));
    expect(lines(hits)).toEqual([
      'DestinationRule/shop/a /spec/trafficPolicy/connectionPool/http/maxRequestsPerConnection: maxRequestsPerConnection is 10: a new connection, and with mTLS a new handshake, every 10 requests (~10% of requests)',
      'DestinationRule/shop/a /spec/subsets/0/trafficPolicy/connectionPool/http/maxRequestsPerConnection: maxRequestsPerConnection is 1: a new connection, and with mTLS a new handshake, for every request',
    ]);
  });
});
