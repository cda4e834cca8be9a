import { TopologySpread, WhenUnsatisfiable } from '../src';
import { chart, expectMeshError } from './util';

describe('TopologySpread', () => {
  const labels = { app: 'checkout', version: 'v1' };
  test('defaults: zones and nodes, skew 1, ScheduleAnyway', () => {
    const s = TopologySpread.defaults();
    expect(s).toMatchObject({ zones: true, nodes: true, maxSkew: 1, whenUnsatisfiable: WhenUnsatisfiable.SCHEDULE_ANYWAY });
    expect(s._render(labels).map((c) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(TopologySpread.of(undefined as any)).toMatchObject({ zones: true, nodes: true }); // null from another jsii language
  });
  test('none() and zones/nodes turned off render nothing for them', () => {
    expect(TopologySpread.none()._render(labels)).toEqual([]);
    expect(TopologySpread.of({ zones: false })._render(labels).map((c) => c.topologyKey)).toEqual(['kubernetes.io/hostname']);
  });
  test('every constraint selects exactly the given labels (a copy)', () => {
    const out = TopologySpread.of({ maxSkew: 3, whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE })._render(labels);
    expect(out[0]).toEqual({ labelSelector: { matchLabels: labels }, maxSkew: 3, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' });
    expect((out[0].labelSelector as any).matchLabels).not.toBe(labels);
  });
  test('fails on bad values, naming the prop', () => {
    const { chart: c } = chart();
    expectMeshError(() => TopologySpread.of({ maxSkew: 1.5 })._check(c, 'spread'), 'test', /spread.maxSkew must be a whole number from 1.*got 1.5/);
    expectMeshError(() => TopologySpread.of({ nodes: 1 as any })._check(c, 'spread'), 'test', /spread.nodes must be true or false, got 1/);
    expectMeshError(() => TopologySpread.of({ whenUnsatisfiable: 'scheduleAnyway' as any })._check(c, 'spread'), 'test', /whenUnsatisfiable must be one of ScheduleAnyway, DoNotSchedule/);
  });
});
