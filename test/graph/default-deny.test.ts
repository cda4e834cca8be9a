import { Chart, Testing } from 'cdk8s';
import { CallerIdentity, DefaultDeny, DependencyGraph, MeshedService } from '../../src/index';
import { chart, expectMeshError, ForValidator, only, synth } from '../util';

describe('DefaultDeny', () => {
  const validated = new ForValidator();
  test('an allow-nothing policy for the namespace; declared callers are still allowed by their callee\'s policy', () => {
    const { chart: c } = chart();
    const deny = new DefaultDeny(c, 'deny');
    const web = new MeshedService(c, 'web', { image: 'ghcr.io/acme/web:1', port: 8080 });
    const api = new MeshedService(c, 'api', { image: 'ghcr.io/acme/api:1', port: 8080 });
    new MeshedService(c, 'batch', { image: 'ghcr.io/acme/batch:1', port: 8080 });
    web.allowCallsFrom(CallerIdentity.ingressGateway());
    web.talksTo(api);
    const objs = synth(c);
    const ap = only(objs, 'AuthorizationPolicy', 'default-deny');
    expect(ap).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'default-deny', namespace: 'shop' },
      spec: { action: 'ALLOW' },
    });
    expect(deny.namespace).toBe('shop');
    expect(only(objs, 'AuthorizationPolicy', 'api').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/web']);
    // the report names services nothing may reach any more
    expect(JSON.parse(DependencyGraph.of(c).toJson()).unreachableUnderDefaultDeny).toEqual(['batch']);
    validated.add(objs);
    expect(ap).toMatchSnapshot();
  });

  test('fails when the namespace is unknown or is the mesh root', () => {
    const c = new Chart(Testing.app(), 'test');
    expectMeshError(() => new DefaultDeny(c, 'a'), 'test/a', /namespace must be known/);
    new DefaultDeny(c, 'b', { namespace: 'istio-system' });
    expectMeshError(() => Testing.synth(c), 'test/b', /namespace is the mesh root namespace.*Istio's default/);
    expectMeshError(() => new DefaultDeny(chart().chart, 'c', { namespace: 'Bad_NS' }), 'test/c', /namespace must be a DNS-1123 label/);
  });
  validated.test();
});
