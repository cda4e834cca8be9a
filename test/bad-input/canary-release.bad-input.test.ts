// Bad input to CanaryRelease: our error naming the path, the prop, the value and a fix.
import { CanaryRelease, HeaderMatch, MeshedService, MeshProtocol } from '../../src';
import { badInputs, chart } from '../util';
import { inShop } from './constructs.shared';

const PATH = 'test/canary';
const cr = (props: Record<string, unknown>) => inShop((c, s) => {
  s.addVersion('v2', { image: 'ghcr.io/acme/shop:2.0' });
  new CanaryRelease(c, 'canary', { service: s, canaryVersion: 'v2', ...props } as any);
});

describe('CanaryRelease', () => {
  badInputs([
    { name: 'props undefined', run: () => new CanaryRelease(chart().chart, 'canary', undefined as any), path: PATH, prop: 'props', value: 'nothing', fix: /pass \{ service, canaryVersion: "v2" \}/ },
    { name: 'props null', run: () => new CanaryRelease(chart().chart, 'canary', null as any), path: PATH, prop: 'props', value: 'null', fix: /pass \{ service/ },
    { name: 'service a string', run: cr({ service: 'svc' }), path: PATH, prop: 'service', value: '"svc"', fix: /MeshedService/ },
    { name: 'service a plain object', run: cr({ service: { name: 'svc' } }), path: PATH, prop: 'service', value: '{"name":"svc"}', fix: /MeshedService whose traffic the release shifts/ },
    { name: 'service another construct', run: inShop((c) => new CanaryRelease(c, 'canary', { service: c as any, canaryVersion: 'v2' })), path: PATH, prop: 'service', value: 'test', fix: /MeshedService/ },
    { name: 'service missing', run: cr({ service: undefined }), path: PATH, prop: 'service', value: 'nothing', fix: /MeshedService/ },
    { name: 'canaryVersion missing', run: cr({ canaryVersion: undefined }), path: PATH, prop: 'canaryVersion', value: 'nothing', fix: /e\.g\. "v3"/ },
    { name: 'canaryVersion the stable version', run: cr({ canaryVersion: 'v1' }), path: PATH, prop: 'canaryVersion', value: '"v1"', fix: /addVersion\("v3"/ },
    { name: 'canaryVersion not deployed', run: cr({ canaryVersion: 'v3' }), path: PATH, prop: 'canaryVersion', value: '"v3"', fix: /addVersion\("v3"/ },
    { name: 'canaryWeight 150', run: cr({ canaryWeight: 150 }), path: PATH, prop: 'canaryWeight', value: '150', fix: /e\.g\. 10 \(100 promotes it, 0 rolls it back\)/ },
    { name: 'canaryWeight a string', run: cr({ canaryWeight: '10' }), path: PATH, prop: 'canaryWeight', value: '"10"', fix: /e\.g\. 10/ },
    { name: 'canaryWeight with steps', run: cr({ canaryWeight: 10, steps: [1, 5, 100] }), path: PATH, prop: 'canaryWeight', value: '10', fix: /remove canaryWeight and choose currentStep, or remove steps/ },
    { name: 'currentStep without steps', run: cr({ currentStep: 1 }), path: PATH, prop: 'currentStep', value: '1', fix: /steps, e\.g\. \[1, 5, 25, 50, 100\]/ },
    { name: 'steps a number', run: cr({ steps: 5 }), path: PATH, prop: 'steps', value: '5', fix: /e\.g\. \[1, 5, 25, 50, 100\]/ },
    { name: 'headerOverride a plain object', run: cr({ headerOverride: { header: 'x-canary', value: 'true' } }), path: PATH, prop: 'headerOverride', value: '{"header":"x-canary","value":"true"}', fix: /HeaderMatch\.exact\("x-canary", "true"\)/ },
    { name: 'mirrorPercent 200', run: cr({ mirrorPercent: 200 }), path: PATH, prop: 'mirrorPercent', value: '200', fix: /e\.g\. 10/ },
    {
      name: 'headerOverride on a TCP service',
      run: inShop((c) => {
        const t = new MeshedService(c, 'tcp', { image: 'ghcr.io/acme/db:1', port: 5432, protocol: MeshProtocol.TCP });
        t.addVersion('v2', { image: 'ghcr.io/acme/db:2' });
        new CanaryRelease(c, 'canary', { service: t, canaryVersion: 'v2', headerOverride: HeaderMatch.exact('x-canary', 'true') });
      }),
      path: PATH,
      prop: 'headerOverride',
      value: '"x-canary"',
      fix: /drop|remove|HeaderMatch\.none/,
    },
  ]);
});
