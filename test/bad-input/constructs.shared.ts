// Builders shared by the bad-input tables of the constructs other than MeshedService.
import { MeshedService, MeshedServiceProps } from '../../src';
import { chart, synth } from '../util';

export const base: MeshedServiceProps = { image: 'ghcr.io/acme/shop:1.0', port: 8080 };

/** Runs `fn` in a chart (namespace `shop`, path `test`) with a service `svc`, then synthesizes. */
export function inShop(fn: (c: ReturnType<typeof chart>['chart'], s: MeshedService) => void, namespace = 'shop'): () => void {
  return () => {
    const { chart: c } = chart(namespace);
    const s = new MeshedService(c, 'svc', base);
    fn(c, s);
    synth(c);
  };
}
