// Bad input to ExternalService: our error naming the path, the prop, the value and a fix.
import { ExternalProtocol, ExternalService } from '../../src';
import { badInputs, chart, synth } from '../util';

const PATH = 'test/ext';
const ext = (props: Record<string, unknown> | null | undefined, spread = true) => () => {
  const { chart: c } = chart();
  new ExternalService(c, 'ext', (spread && props ? { host: 'api.stripe.com', ports: [{ number: 443, protocol: ExternalProtocol.TLS }], ...props } : props) as any);
  synth(c);
};
const port = (p: Record<string, unknown>) => ext({ ports: [{ number: 443, protocol: ExternalProtocol.TLS, ...p }] });

describe('ExternalService', () => {
  badInputs([
    { name: 'props undefined', run: ext(undefined, false), path: PATH, prop: 'props', value: 'nothing', fix: /host: "api\.stripe\.com"/ },
    { name: 'props null', run: ext(null, false), path: PATH, prop: 'props', value: 'null', fix: /host: "api\.stripe\.com"/ },
    { name: 'host uppercase', run: ext({ host: 'API.Stripe.com' }), path: PATH, prop: 'host', value: '"API.Stripe.com"', fix: /"api\.stripe\.com"/ },
    { name: 'host with a scheme', run: ext({ host: 'https://api.stripe.com' }), path: PATH, prop: 'host', value: '"https://api.stripe.com"', fix: /"api\.stripe\.com"/ },
    { name: 'host a wildcard', run: ext({ host: '*.stripe.com' }), path: PATH, prop: 'host', value: '"*.stripe.com"', fix: /"api\.stripe\.com"/ },
    { name: 'host a list', run: ext({ host: ['api.stripe.com'] }), path: PATH, prop: 'host', value: '["api.stripe.com"]', fix: /"api\.stripe\.com"/ },
    { name: 'ports missing', run: ext({ ports: undefined }), path: PATH, prop: 'ports', value: 'nothing', fix: /ExternalProtocol\.TLS/ },
    { name: 'ports one port, not a list', run: ext({ ports: { number: 443, protocol: ExternalProtocol.TLS } }), path: PATH, prop: 'ports', value: '{"number":443,"protocol":"TLS"}', fix: /ExternalProtocol\.TLS/ },
    { name: 'ports more than the CRD allows (256)', run: ext({ ports: Array.from({ length: 257 }, (_, i) => ({ number: 1000 + i, protocol: ExternalProtocol.TCP })) }), path: PATH, prop: 'ports', value: '"257 ports"', fix: /list only the ports callers use/ },
    { name: 'port entry null', run: ext({ ports: [null] }), path: PATH, prop: 'ports[0]', value: 'null', fix: /number: 443/ },
    { name: 'port number 0', run: port({ number: 0 }), path: PATH, prop: 'ports[0].number', value: '0', fix: /port callers connect to/ },
    { name: 'port number a string', run: port({ number: '443' }), path: PATH, prop: 'ports[0].number', value: '"443"', fix: /port callers connect to/ },
    { name: 'port protocol unknown', run: port({ protocol: 'HTTPS2' }), path: PATH, prop: 'ports[0].protocol', value: '"HTTPS2"', fix: /ExternalProtocol enum/ },
    { name: 'port name a number', run: port({ name: 5 }), path: PATH, prop: 'ports[0].name', value: '5', fix: /"tcp-5432"/ },
    { name: 'port name uppercase', run: port({ name: 'HTTPS' }), path: PATH, prop: 'ports[0].name', value: '"HTTPS"', fix: /"tcp-5432"/ },
    { name: 'port listed twice', run: ext({ ports: [{ number: 443, protocol: ExternalProtocol.TLS }, { number: 443, protocol: ExternalProtocol.TLS }] }), path: PATH, prop: 'ports[1].number', value: '443', fix: /list each port once/ },
    { name: 'duplicate port names', run: ext({ ports: [{ number: 443, protocol: ExternalProtocol.TLS, name: 'tls' }, { number: 8443, protocol: ExternalProtocol.TLS, name: 'tls' }] }), path: PATH, prop: 'ports[1].name', value: '"tls"', fix: /"tls-8443"/ },
    { name: 'endpoints 0', run: ext({ endpoints: 0 }), path: PATH, prop: 'endpoints', value: '0', fix: /number of upstream hosts/ },
    { name: 'endpoints beyond int32', run: ext({ endpoints: 1e10 }), path: PATH, prop: 'endpoints', value: '10000000000', fix: /number of upstream hosts/ },
    { name: 'maxInboundConnections negative', run: ext({ maxInboundConnections: -5 }), path: PATH, prop: 'maxInboundConnections', value: '-5', fix: /max_connections/ },
    { name: 'trafficPolicy a plain object', run: ext({ trafficPolicy: { maxConnections: 5 } }), path: PATH, prop: 'trafficPolicy', value: '{"maxConnections":5}', fix: /TrafficPolicy\.of/ },
    { name: 'serviceEntry a string', run: ext({ serviceEntry: 'yes' }), path: PATH, prop: 'serviceEntry', value: '"yes"', fix: /true or false/ },
    { name: 'namespace uppercase', run: ext({ namespace: 'Payments' }), path: PATH, prop: 'namespace', value: '"Payments"', fix: /"payments"/ },
    { name: 'istioApiVersion unknown', run: ext({ istioApiVersion: 'v0' }), path: PATH, prop: 'istioApiVersion', value: '"v0"', fix: /IstioApiVersion enum/ },
  ]);
});
