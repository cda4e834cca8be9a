import { check, deployment, lines, namespaceObject, peerAuthentication } from './objects';
import { mtlsStrictWithoutSidecar } from '../../src/rules/mtls-001-strict-without-sidecar';

const strictNs = peerAuthentication('default', { mtls: { mode: 'STRICT' } });
const unmeshed = deployment('batch', { labels: { 'app': 'batch', 'sidecar.istio.io/inject': 'false' } });

describe('MESH-MTLS-001 mtls-strict-without-sidecar (warning: a sidecar-less client of STRICT peers)', () => {
  test('level is warning', () => expect(mtlsStrictWithoutSidecar.level).toBe('warning'));

  test('passes meshed workloads under STRICT', () => {
    expect(check(mtlsStrictWithoutSidecar, strictNs, deployment('checkout'), deployment('payments'))).toEqual([]);
  });

  test('passes a sidecar-less workload when no meshed workload is STRICT (PERMISSIVE, or STRICT only over itself)', () => {
    expect(check(mtlsStrictWithoutSidecar, unmeshed, deployment('checkout'), peerAuthentication('default', { mtls: { mode: 'PERMISSIVE' } }))).toEqual([]);
    // A sidecar-less server under STRICT keeps working: nothing enforces STRICT without a sidecar, and
    // client sidecars send it plaintext (auto-mTLS). The only STRICT workload here is itself.
    expect(check(mtlsStrictWithoutSidecar, unmeshed, peerAuthentication('batch', { selector: { matchLabels: { app: 'batch' } }, mtls: { mode: 'STRICT' } }))).toEqual([]);
  });

  test('passes when injection is unknown (Namespace not in the app, pod says nothing)', () => {
    expect(check(mtlsStrictWithoutSidecar, strictNs, deployment('checkout'), deployment('web', { labels: { app: 'web' } }))).toEqual([]);
  });

  test('warns on an opted-out workload beside STRICT meshed peers', () => {
    expect(lines(check(mtlsStrictWithoutSidecar, strictNs, deployment('checkout'), unmeshed))).toEqual([
      'Deployment/shop/batch /spec/template/metadata: runs without the sidecar, so its calls are plaintext, and 1 meshed workload of namespace shop refuse plaintext (e.g. Deployment/shop/checkout, STRICT by PeerAuthentication/shop/default)',
    ]);
  });

  test('warns on a workload opted out in a namespace under mesh-wide STRICT, not on one alone in its namespace', () => {
    const plain = deployment('web', { namespace: 'legacy', labels: { app: 'web' } });
    const optedOut = deployment('cron', { labels: { 'app': 'cron', 'sidecar.istio.io/inject': 'false' } });
    const hits = check(mtlsStrictWithoutSidecar, peerAuthentication('default', { mtls: { mode: 'STRICT' } }, 'istio-system'),
      namespaceObject('legacy'), plain, deployment('checkout'), optedOut);
    expect(lines(hits)).toEqual([
      'Deployment/shop/cron /spec/template/metadata: runs without the sidecar, so its calls are plaintext, and 1 meshed workload of namespace shop refuse plaintext (e.g. Deployment/shop/checkout, STRICT by PeerAuthentication/istio-system/default)',
    ]);
  });
});
