import { nsOf, PodTemplateRef, refOf } from './mesh-objects';
import { KObject, MeshRule, RuleHit } from './rule';
import { isObject, stringMap } from '../private/json';

/** MESH-MTLS-001: a workload without the sidecar where a PeerAuthentication makes mTLS STRICT. */
export const mtlsStrictWithoutSidecar: MeshRule = {
  id: 'MESH-MTLS-001',
  level: 'error',
  info: 'workload without the sidecar in a scope a PeerAuthentication makes STRICT',
  explanation: 'STRICT mTLS means the server side accepts only mutual TLS, which the sidecar terminates. A workload '
    + 'without a sidecar under STRICT cannot take part: its callers in the mesh send mTLS it cannot read, and nothing '
    + 'in the mesh is allowed to call it in plaintext. The result is connection resets at run time.',
  fix: 'inject the sidecar (pod template label `sidecar.istio.io/inject: "true"`), or give the workload a workload-level PeerAuthentication with PERMISSIVE (or DISABLE) mode',
  check(objects) {
    const root = objects.rootNamespace();
    let meshMode: { mode: string; pa: KObject } | undefined;
    const nsMode = new Map<string, { mode: string; pa: KObject }>();
    const workloadMode = new Map<PodTemplateRef, { mode: string; pa: KObject }>();
    const selectorPas: KObject[] = [];
    for (const pa of objects.peerAuthentications()) {
      const mode = typeof pa.spec?.mtls?.mode === 'string' ? pa.spec.mtls.mode : 'UNSET';
      const labels = stringMap(pa.spec?.selector?.matchLabels);
      if (Object.keys(labels).length > 0) { selectorPas.push(pa); continue; }
      if (mode === 'UNSET') continue; // inherits from the parent scope
      if (nsOf(pa) === root) meshMode = { mode, pa }; else nsMode.set(nsOf(pa), { mode, pa });
    }
    for (const pa of selectorPas) {
      const mode = typeof pa.spec?.mtls?.mode === 'string' ? pa.spec.mtls.mode : 'UNSET';
      if (mode === 'UNSET') continue;
      for (const t of objects.podTemplatesMatching(nsOf(pa), stringMap(pa.spec?.selector?.matchLabels))) workloadMode.set(t, { mode, pa });
    }
    if (!meshMode && nsMode.size === 0 && workloadMode.size === 0) return [];
    const hits: RuleHit[] = [];
    for (const t of objects.podTemplates()) {
      const eff = workloadMode.get(t) ?? nsMode.get(t.namespace) ?? meshMode;
      if (!eff || eff.mode !== 'STRICT') continue;
      if (objects.injection(t) !== 'off') continue;
      const scope = workloadMode.has(t) ? 'the workload' : nsMode.has(t.namespace) ? `namespace ${t.namespace}` : 'the whole mesh';
      hits.push({
        object: t.object,
        location: `${t.path}/metadata`,
        message: `runs without the sidecar (injection off${isObject(objects.namespace(t.namespace)) && t.labels['sidecar.istio.io/inject'] === undefined ? ' by its Namespace' : ''}), and ${refOf(eff.pa)} makes mTLS STRICT for ${scope}`,
      });
    }
    return hits;
  },
};
