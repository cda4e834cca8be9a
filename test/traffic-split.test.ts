// Issue 13: the split holds for every client. From the synthesized objects alone, compute which
// pods each kind of client reaches at weights 0, 10 and 100, the way Istio and kube-proxy do.
import { Chart, Testing } from 'cdk8s';
import { CanaryRelease, HeaderMatch, MeshedService } from '../src';
import { all, chart, Obj } from './util';

type Share = Record<string, number>; // version -> percent of the client's requests

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Pods behind a Service, per version, by replica count: what kube-proxy (and Envoy's round robin over a cluster) spreads over. */
function byPodCount(objs: Obj[], service: Obj): Share {
  const pods = all(objs, 'Deployment').filter((d) => d.metadata.namespace === service.metadata.namespace
    && selects(service.spec.selector ?? {}, d.spec.template.metadata.labels));
  const total = pods.reduce((n, d) => n + d.spec.replicas, 0);
  const share: Share = {};
  for (const d of pods) {
    const version = d.spec.template.metadata.labels.version;
    share[version] = (share[version] ?? 0) + 100 * d.spec.replicas / total;
  }
  return share;
}

function serviceForHost(objs: Obj[], host: string): Obj {
  const [name, ns] = host.split('.');
  const found = all(objs, 'Service').find((s) => s.metadata.name === name && s.metadata.namespace === ns);
  if (!found) throw new Error(`no Service for ${host}`);
  return found;
}

/**
 * What a client reaches for `host`:
 * - it applies the VirtualService when it is a sidecar and the VirtualService is bound to `mesh`
 *   (no `gateways` means mesh only), or a gateway named in `gateways`;
 * - then each weighted destination's Service spreads over its pods;
 * - otherwise the host's own Service spreads over its pods (kube-proxy, or Envoy's cluster for the host).
 */
function reach(objs: Obj[], host: string, client: 'sidecar' | 'no-sidecar' | 'ingress-gateway', gateway?: string): Share {
  const vs = all(objs, 'VirtualService').find((v) => (v.spec.hosts ?? []).includes(host));
  const bound: string[] = vs?.spec.gateways ?? ['mesh'];
  const applies = vs && ((client === 'sidecar' && bound.includes('mesh')) || (client === 'ingress-gateway' && gateway !== undefined && bound.includes(gateway)));
  if (!applies) return byPodCount(objs, serviceForHost(objs, host));
  const rule = [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? [])].find((r: any) => !r.match); // ordinary requests: no header
  const share: Share = {};
  for (const r of rule.route) {
    const weight = rule.route.length === 1 ? 100 : r.weight;
    for (const [version, pct] of Object.entries(byPodCount(objs, serviceForHost(objs, r.destination.host)))) {
      share[version] = (share[version] ?? 0) + weight * pct / 100;
    }
  }
  return share;
}

/** examples/canary's shape: checkout v2 × 3 stable, v3 × 1 canary. */
function canaryAt(weight: number): Obj[] {
  const { chart: c } = chart('shop');
  const svc = new MeshedService(c, 'checkout', { image: 'acme/checkout:2', port: 8080, version: 'v2', replicas: 3 });
  svc.addVersion('v3', { image: 'acme/checkout:3', replicas: 1 });
  new CanaryRelease(c, 'canary', { service: svc, canaryVersion: 'v3', canaryWeight: weight, headerOverride: HeaderMatch.exact('x-canary', 'true') });
  return Testing.synth(c) as Obj[];
}

const HOST = 'checkout.shop.svc.cluster.local';

describe('the split holds for every client', () => {
  for (const client of ['sidecar', 'no-sidecar', 'ingress-gateway'] as const) {
    describe(`a ${client} client`, () => {
      test('at weight 0 never reaches the canary', () => {
        expect(reach(canaryAt(0), HOST, client).v3 ?? 0).toBe(0);
      });
      test('at weight 10 reaches the canary for at most 10% of its requests', () => {
        const share = reach(canaryAt(10), HOST, client);
        expect(share.v3 ?? 0).toBeLessThanOrEqual(10);
        if (client === 'sidecar') expect(share).toEqual({ v2: 90, v3: 10 });
      });
      test('at weight 100 never reaches the old version', () => {
        expect(reach(canaryAt(100), HOST, client).v2 ?? 0).toBe(0);
      });
    });
  }

  test('before the fix, a Service over every version gave clients that bypass the VirtualService 25% canary at weight 0', () => {
    // what main wrote: the host's Service selected { app } only
    const objs = canaryAt(0).map((o) => (o.kind === 'Service' && o.metadata.name === 'checkout'
      ? { ...o, spec: { ...o.spec, selector: { app: 'checkout' } } } : o));
    expect(reach(objs, HOST, 'no-sidecar')).toEqual({ v2: 75, v3: 25 });
  });

  test('a service with one version keeps one Service, one DestinationRule and no per-version hosts', () => {
    const c = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new MeshedService(c, 'web', { image: 'acme/web:1', port: 8080 });
    const objs = Testing.synth(c) as Obj[];
    expect(all(objs, 'Service')).toHaveLength(1);
    expect(all(objs, 'DestinationRule')).toHaveLength(1);
    expect(reach(objs, 'web.shop.svc.cluster.local', 'no-sidecar')).toEqual({ v1: 100 });
    expect(reach(objs, 'web.shop.svc.cluster.local', 'sidecar')).toEqual({ v1: 100 });
  });
});
