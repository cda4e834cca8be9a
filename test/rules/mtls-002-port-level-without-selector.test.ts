import { check, lines, peerAuthentication } from './objects';
import { mtlsPortLevelWithoutSelector } from '../../src/rules/mtls-002-port-level-without-selector';

describe('MESH-MTLS-002 mtls-port-level-without-selector', () => {
  test('passes port-level mTLS on a workload policy', () => {
    expect(check(mtlsPortLevelWithoutSelector, peerAuthentication('db', {
      selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'PERMISSIVE' } },
    }))).toEqual([]);
  });

  test('fails on port-level mTLS on a namespace-wide policy', () => {
    expect(lines(check(mtlsPortLevelWithoutSelector, peerAuthentication('default', { mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'DISABLE' } } })))).toEqual([
      'PeerAuthentication/shop/default /spec/portLevelMtls: sets portLevelMtls for port(s) 9090 without a workload selector',
    ]);
  });
});
