import { check, deployment, lines, namespaceObject, peerAuthentication } from './objects';
import { mtlsStrictWithoutSidecar } from '../../src/rules/mtls-001-strict-without-sidecar';

const strictNs = peerAuthentication('default', { mtls: { mode: 'STRICT' } });
const unmeshed = deployment('batch', { labels: { 'app': 'batch', 'sidecar.istio.io/inject': 'false' } });

describe('MESH-MTLS-001 mtls-strict-without-sidecar', () => {
  test('passes meshed workloads under STRICT, and an unmeshed one with a PERMISSIVE workload policy', () => {
    expect(check(mtlsStrictWithoutSidecar, strictNs, deployment('checkout'), unmeshed,
      peerAuthentication('batch', { selector: { matchLabels: { app: 'batch' } }, mtls: { mode: 'PERMISSIVE' } }))).toEqual([]);
  });

  test('passes an unmeshed workload when nothing is STRICT', () => {
    expect(check(mtlsStrictWithoutSidecar, unmeshed, peerAuthentication('default', { mtls: { mode: 'PERMISSIVE' } }))).toEqual([]);
  });

  test('fails on an opted-out workload in a STRICT namespace', () => {
    expect(lines(check(mtlsStrictWithoutSidecar, strictNs, unmeshed))).toEqual([
      'Deployment/shop/batch /spec/template/metadata: runs without the sidecar (injection off), and PeerAuthentication/shop/default makes mTLS STRICT for namespace shop',
    ]);
  });

  test('fails on a workload in a namespace without injection under mesh-wide STRICT', () => {
    const plain = deployment('web', { namespace: 'legacy', labels: { app: 'web' } });
    const hits = check(mtlsStrictWithoutSidecar, peerAuthentication('default', { mtls: { mode: 'STRICT' } }, 'istio-system'), namespaceObject('legacy'), plain);
    expect(lines(hits)).toEqual([
      'Deployment/legacy/web /spec/template/metadata: runs without the sidecar (injection off by its Namespace), and PeerAuthentication/istio-system/default makes mTLS STRICT for the whole mesh',
    ]);
  });

  test('fails on a workload-level STRICT over an unmeshed workload', () => {
    const hits = check(mtlsStrictWithoutSidecar, unmeshed, peerAuthentication('batch', { selector: { matchLabels: { app: 'batch' } }, mtls: { mode: 'STRICT' } }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/STRICT for the workload/);
  });
});
