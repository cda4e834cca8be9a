import { check, lines, service } from './objects';
import { servicePortProtocol } from '../../src/rules/svc-001-port-protocol';

describe('MESH-SVC-001 service-port-protocol', () => {
  test('passes named ports, appProtocol and UDP ports', () => {
    expect(check(servicePortProtocol, service('a', [
      { name: 'http', port: 80 }, { name: 'grpc-api', port: 9090 }, { name: 'db', port: 5432, appProtocol: 'tcp' }, { name: 'dns', port: 53, protocol: 'UDP' },
    ]))).toEqual([]);
  });

  test('passes what istioctl analyze skips: system namespaces, the control plane, gateway-managed and ExternalName Services', () => {
    const web = [{ name: 'web', port: 8080 }];
    const labelled = (name: string, labels: Record<string, string>) => ({ ...service(name, web, 'istio-system'), metadata: { name, namespace: 'istio-system', labels } });
    expect(check(servicePortProtocol,
      service('metrics', web, 'kube-system'),
      service('dns', web, 'kube-public'),
      labelled('istiod', { app: 'istiod', istio: 'pilot' }),
      labelled('istio-ingressgateway', { release: 'istio' }),
      labelled('edge-istio', { 'gateway.istio.io/managed': 'istio.io-gateway-controller' }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'db.example.com', ports: web } })).toEqual([]);
  });

  test('level is warning', () => expect(servicePortProtocol.level).toBe('warning'));

  test('warns on a port without a protocol name or appProtocol', () => {
    expect(lines(check(servicePortProtocol, service('a', [{ name: 'web', port: 8080 }, { port: 81 }])))).toEqual([
      'Service/shop/a /spec/ports/0: port 8080 is named "web" and no appProtocol, so Istio has to sniff its protocol',
      'Service/shop/a /spec/ports/1: port 81 has no name and no appProtocol, so Istio has to sniff its protocol',
    ]);
  });
});
