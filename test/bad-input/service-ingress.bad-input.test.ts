// Bad input to ServiceIngress: our error naming the path, the prop, the value and a fix.
import { IngressTls, ServiceIngress } from '../../src';
import { badInputs, chart } from '../util';
import { inShop } from './constructs.shared';

const PATH = 'test/in';
const ing = (props: Record<string, unknown>) => inShop((c, s) => new ServiceIngress(c, 'in', { service: s, hosts: ['shop.example.com'], ...props } as any));

describe('ServiceIngress', () => {
  badInputs([
    { name: 'props undefined', run: () => new ServiceIngress(chart().chart, 'in', undefined as any), path: PATH, prop: 'props', value: 'nothing', fix: /pass \{ service, hosts: \["shop\.example\.com"\] \}/ },
    { name: 'props a string', run: () => new ServiceIngress(chart().chart, 'in', 'shop.example.com' as any), path: PATH, prop: 'props', value: '"shop.example.com"', fix: /pass \{ service/ },
    { name: 'service a string', run: ing({ service: 'svc' }), path: PATH, prop: 'service', value: '"svc"', fix: /MeshedService to expose/ },
    { name: 'hosts one string', run: ing({ hosts: 'shop.example.com' }), path: PATH, prop: 'hosts', value: '"shop.example.com"', fix: /hosts: \["shop\.example\.com"\]/ },
    { name: 'hosts empty', run: ing({ hosts: [] }), path: PATH, prop: 'hosts', value: '[]', fix: /hosts: \["shop\.example\.com"\]/ },
    { name: 'host uppercase', run: ing({ hosts: ['Shop.Example.com'] }), path: PATH, prop: 'hosts[0]', value: '"Shop.Example.com"', fix: /"shop\.example\.com"/ },
    { name: 'host with a port', run: ing({ hosts: ['shop.example.com:443'] }), path: PATH, prop: 'hosts[0]', value: '"shop.example.com:443"', fix: /"shop\.example\.com"/ },
    { name: 'host a bare wildcard', run: ing({ hosts: ['*'] }), path: PATH, prop: 'hosts[0]', value: '"*"', fix: /"\*\.shop\.example\.com"/ },
    { name: 'host cluster-local', run: ing({ hosts: ['svc.shop.svc.cluster.local'] }), path: PATH, prop: 'hosts[0]', value: '"svc.shop.svc.cluster.local"', fix: /"shop\.example\.com"/ },
    { name: 'host listed twice', run: ing({ hosts: ['shop.example.com', 'shop.example.com'] }), path: PATH, prop: 'hosts[1]', value: '"shop.example.com"', fix: /list each host once/ },
    { name: 'host a number', run: ing({ hosts: [42] }), path: PATH, prop: 'hosts[0]', value: '42', fix: /"shop\.example\.com"/ },
    { name: 'pathPrefixes empty', run: ing({ pathPrefixes: [] }), path: PATH, prop: 'pathPrefixes', value: '[]', fix: /\["\/shop"\]/ },
    { name: 'path prefix without a slash', run: ing({ pathPrefixes: ['shop'] }), path: PATH, prop: 'pathPrefixes[0]', value: '"shop"', fix: /"\/shop"/ },
    { name: 'path prefix with "/../"', run: ing({ pathPrefixes: ['/a/../b'] }), path: PATH, prop: 'pathPrefixes[0]', value: '"/a/../b"', fix: /"\/api\/v1"/ },
    { name: 'path prefix listed twice', run: ing({ pathPrefixes: ['/a', '/a'] }), path: PATH, prop: 'pathPrefixes[1]', value: '"/a"', fix: /list each prefix once/ },
    { name: 'tls a string', run: ing({ tls: 'shop-tls' }), path: PATH, prop: 'tls', value: '"shop-tls"', fix: /IngressTls\.fromSecret\("shop-example-com-tls"\)/ },
    { name: 'httpsRedirect a string', run: ing({ httpsRedirect: 'yes', tls: IngressTls.fromSecret('shop-tls') }), path: PATH, prop: 'httpsRedirect', value: '"yes"', fix: /leave it unset \(true with tls\)/ },
    { name: 'httpsRedirect without tls', run: ing({ httpsRedirect: true }), path: PATH, prop: 'httpsRedirect', value: 'true', fix: /IngressTls\.fromSecret/ },
    { name: 'name uppercase', run: ing({ name: 'Shop-Ingress' }), path: PATH, prop: 'name', value: '"Shop-Ingress"', fix: /"shop-ingress"/ },
    { name: 'api unknown', run: ing({ api: 'nginx' }), path: PATH, prop: 'api', value: '"nginx"', fix: /IngressApi/ },
    { name: 'istioApiVersion unknown', run: ing({ istioApiVersion: 'v7' }), path: PATH, prop: 'istioApiVersion', value: '"v7"', fix: /IstioApiVersion/ },
  ]);
});
