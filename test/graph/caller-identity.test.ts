import { Chart, Testing } from 'cdk8s';
import { CallerIdentity, MeshedService } from '../../src/index';
import { chart, expectMeshError } from '../util';

describe('CallerIdentity', () => {
  test('principals and namespaces', () => {
    const { chart: c } = chart();
    const s = new MeshedService(c, 'checkout', { image: 'ghcr.io/acme/checkout:1', port: 8080, serviceAccountName: 'checkout-sa' });
    expect(CallerIdentity.of(s).principal).toBe('cluster.local/ns/shop/sa/checkout-sa');
    expect(CallerIdentity.serviceAccount('ops', 'robot').principal).toBe('cluster.local/ns/ops/sa/robot');
    // the mesh's gateway: its namespace is the app's root namespace, resolved at synth (test/mesh-root-namespace.test.ts)
    expect(CallerIdentity.ingressGateway().principal).toBeUndefined();
    expect(CallerIdentity.ingressGateway()._principalIn('istio-system')).toBe('cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account');
    expect(String(CallerIdentity.ingressGateway())).toBe('ingress-gateway:<root namespace>');
    expect(CallerIdentity.ingressGateway('edge').principal).toBe('cluster.local/ns/edge/sa/istio-ingressgateway-service-account');
    expect(CallerIdentity.namespace('ops').namespaceName).toBe('ops');
    expect(String(CallerIdentity.namespace('ops'))).toBe('namespace:ops');
    expect(CallerIdentity.fromPrincipal('corp.example/ns/a/sa/b').principal).toBe('corp.example/ns/a/sa/b');
  });

  test('fails when an identity is malformed or its namespace unknown', () => {
    expectMeshError(() => CallerIdentity.namespace('Ops'), 'CallerIdentity.namespace', /namespace must be a DNS-1123 label/);
    expectMeshError(() => CallerIdentity.serviceAccount('ops', 'Robot!'), 'CallerIdentity.serviceAccount', /name must be a DNS-1123 subdomain/);
    expectMeshError(() => CallerIdentity.fromPrincipal('spiffe://cluster.local/ns/a/sa/b'), 'CallerIdentity.fromPrincipal', /principal must have the form/);
    const s = new MeshedService(new Chart(Testing.app(), 'test'), 'x', { image: 'ghcr.io/acme/x:1', port: 8080 });
    expectMeshError(() => CallerIdentity.of(s), 'test/x', /namespace must be known/);
    expectMeshError(() => CallerIdentity.of(undefined as any), 'CallerIdentity.of', /service must be a MeshedService, got nothing/);
  });
});
