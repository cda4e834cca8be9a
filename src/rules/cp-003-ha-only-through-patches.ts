import { MeshRule, RuleHit } from './rule';
import { asArray, isObject } from '../private/json';

/**
 * MESH-CP-003: an IstioOperator that asks for several istiod or gateway replicas only through
 * `k8s` patches, so Istio 1.28+ renders no PodDisruptionBudget.
 *
 * istioctl applies `components.*.k8s` (hpaSpec, replicaCount, podDisruptionBudget) only as
 * patches on manifests the chart rendered (operator/pkg/render/postprocess.go); nothing copies
 * them into chart values. From 1.28.0 the istiod and gateway charts render a PodDisruptionBudget
 * only when `autoscaleEnabled && autoscaleMin > 1`, or `!autoscaleEnabled && replicaCount > 1`
 * (manifests/charts/istio-control/istio-discovery/templates/poddisruptionbudget.yaml,
 * manifests/charts/gateways/istio-ingress/templates/poddisruptionbudget.yaml), and the chart
 * defaults are autoscaleMin 1, replicaCount 1.
 */
export const cpHaOnlyThroughPatches: MeshRule = {
  id: 'MESH-CP-003',
  level: 'warning',
  info: 'IstioOperator asks for several istiod or gateway replicas only through k8s patches: no PodDisruptionBudget on Istio 1.28+',
  explanation: 'istioctl applies `components.*.k8s.hpaSpec` and `replicaCount` as patches on the rendered manifests and never copies them '
    + 'into chart values. From Istio 1.28 the istiod and gateway charts render their PodDisruptionBudget only when the values say '
    + 'more than one replica (`autoscaleMin > 1` with autoscaling, `replicaCount > 1` without), and the defaults say 1. The HPA '
    + 'still keeps the replicas, but no PodDisruptionBudget exists, so a node drain may evict them all at once, and a '
    + '`k8s.podDisruptionBudget` patch has nothing to patch.',
  fix: 'carry the replica counts in values: `values.pilot.autoscaleMin` / `autoscaleMax` (and `values.gateways.istio-ingressgateway.autoscaleMin` / `autoscaleMax` for the gateway), with `autoscaleEnabled: true`',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const io of objects.istioOperators()) {
      const spec = isObject(io.spec) ? io.spec : {};
      if (spec.profile === 'remote' || spec.profile === 'empty') continue;
      const values = isObject(spec.values) ? spec.values : {};
      // The demo profile turns autoscaling off (manifests/profiles/demo.yaml).
      const autoscaleDefault = spec.profile !== 'demo';
      const components = isObject(spec.components) ? spec.components : {};
      const pilot = isObject(components.pilot) ? components.pilot : {};
      if (pilot.enabled !== false) {
        const hit = onlyThroughPatches(pilot.k8s, isObject(values.pilot) ? values.pilot : {}, autoscaleDefault, 'values.pilot');
        if (hit) hits.push({ object: io, location: '/spec/components/pilot/k8s', message: `istiod: ${hit.message}`, fix: hit.fix });
      }
      const gatewayValues = isObject(values.gateways) && isObject(values.gateways['istio-ingressgateway']) ? values.gateways['istio-ingressgateway'] : {};
      asArray(components.ingressGateways).forEach((g, i) => {
        if (!isObject(g) || g.enabled !== true) return;
        const hit = onlyThroughPatches(g.k8s, gatewayValues, autoscaleDefault, 'values.gateways.istio-ingressgateway');
        if (hit) hits.push({ object: io, location: `/spec/components/ingressGateways/${i}/k8s`, message: `gateway ${String(g.name)}: ${hit.message}`, fix: hit.fix });
      });
    }
    return hits;
  },
};

function onlyThroughPatches(k8s: unknown, values: Record<string, any>, autoscaleDefault: boolean, valuesPath: string)
  : { message: string; fix: string } | undefined {
  if (!isObject(k8s)) return undefined;
  const autoscale = typeof values.autoscaleEnabled === 'boolean' ? values.autoscaleEnabled : autoscaleDefault;
  const asked = autoscale ? Number(k8s.hpaSpec?.minReplicas) : Number(k8s.replicaCount);
  const rendered = Number(autoscale ? (values.autoscaleMin ?? 1) : (values.replicaCount ?? 1));
  if (asked > 1 && !(rendered > 1)) {
    const field = autoscale ? 'k8s.hpaSpec.minReplicas' : 'k8s.replicaCount';
    const valueField = autoscale ? 'autoscaleMin' : 'replicaCount';
    return {
      message: `asks for ${asked} replicas only through ${field}, while ${valuesPath}.${valueField} is ${rendered}: Istio 1.28+ renders no PodDisruptionBudget`,
      fix: `set ${valuesPath}.${valueField}: ${asked}${autoscale ? ` (and ${valuesPath}.autoscaleMax)` : ''}, and drop ${field}`,
    };
  }
  if (isObject(k8s.podDisruptionBudget) && !(rendered > 1)) {
    return {
      message: `patches a PodDisruptionBudget (k8s.podDisruptionBudget) while ${valuesPath} asks for ${rendered} replica: Istio 1.28+ renders no PodDisruptionBudget to patch`,
      fix: `set ${valuesPath}.${autoscale ? 'autoscaleMin' : 'replicaCount'} to 2 or more, so the chart renders the PodDisruptionBudget`,
    };
  }
  return undefined;
}
