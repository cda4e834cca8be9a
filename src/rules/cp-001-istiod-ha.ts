import { MeshRule, RuleHit } from './rule';
import { isObject } from '../private/json';

/** MESH-CP-001: an IstioOperator with one istiod replica or no anti-affinity. */
export const cpIstiodHa: MeshRule = {
  id: 'MESH-CP-001',
  level: 'warning',
  info: 'IstioOperator with a single istiod replica or no pod anti-affinity',
  explanation: 'Sidecars keep their last config when istiod is down, but new pods get no sidecar config and no '
    + 'certificate, and workload certificates (24 h) are not renewed. One replica, or several on one node, turns a '
    + 'node drain or zone outage into a mesh outage. Istio\'s default autoscaling minimum is 1.',
  fix: 'set `values.pilot.autoscaleMin: 2` (or more; a `k8s.hpaSpec` patch alone gets no PodDisruptionBudget on Istio 1.28+, see MESH-CP-003) and a `components.pilot.k8s.affinity.podAntiAffinity` that spreads istiod across nodes or zones',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const io of objects.istioOperators()) {
      const pilot = io.spec?.components?.pilot;
      if (pilot?.enabled === false) continue;
      if (io.spec?.profile === 'remote' || io.spec?.profile === 'empty') continue;
      const k8s = isObject(pilot?.k8s) ? pilot.k8s : {};
      const min = k8s.hpaSpec?.minReplicas ?? io.spec?.values?.pilot?.autoscaleMin;
      const autoscale = io.spec?.values?.pilot?.autoscaleEnabled !== false;
      const replicas = Number(autoscale ? (min ?? k8s.replicaCount ?? 1) : (k8s.replicaCount ?? io.spec?.values?.pilot?.replicaCount ?? 1));
      if (!(replicas >= 2)) {
        hits.push({ object: io, location: '/spec/components/pilot/k8s', message: `istiod runs ${replicas} replica${replicas === 1 ? '' : 's'} at minimum` });
      }
      if (!isObject(k8s.affinity?.podAntiAffinity)) {
        hits.push({ object: io, location: '/spec/components/pilot/k8s/affinity', message: 'istiod has no pod anti-affinity: its replicas may share one node' });
      }
    }
    return hits;
  },
};
