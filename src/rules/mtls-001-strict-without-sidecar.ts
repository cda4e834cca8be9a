import { nsOf, PodTemplateRef, refOf } from './mesh-objects';
import { KObject, MeshRule, RuleHit } from './rule';
import { stringMap } from '../private/json';

/**
 * MESH-MTLS-001: a workload without the sidecar while meshed workloads of the app require STRICT mTLS.
 *
 * STRICT is enforced by the server's sidecar, so it binds only pods that have one. A server without
 * a sidecar keeps working: with auto-mTLS (on by default) a client sidecar sends plaintext to
 * endpoints without the `security.istio.io/tlsMode: istio` label
 * (pilot/pkg/networking/core/cluster_tls.go: transport socket match `tlsMode-istio`, and
 * `tlsMode-disabled` "applies to endpoints that have no security.istio.io/tlsMode label").
 * What breaks is the other way: a workload without a sidecar has no certificate and sends
 * plaintext, which every STRICT peer refuses. The objects do not say whom a workload calls, so this
 * is a warning, given only when STRICT meshed workloads share its namespace.
 */
export const mtlsStrictWithoutSidecar: MeshRule = {
  id: 'MESH-MTLS-001',
  level: 'warning',
  info: 'workload without the sidecar beside meshed workloads of its namespace that require STRICT mTLS: its calls to them are refused',
  explanation: 'STRICT mTLS is enforced by the server\'s sidecar: it accepts mutual TLS only. A workload without a '
    + 'sidecar has no mesh certificate, so every call it makes to a STRICT workload is plaintext and is reset. '
    + 'The reverse is fine: a workload without a sidecar can be called, because with auto-mTLS (the default) '
    + 'client sidecars send plaintext to endpoints that have no sidecar, and STRICT does not apply where there is no sidecar to enforce it. '
    + 'The objects do not say whom a workload calls, so the rule looks at STRICT meshed workloads in its own namespace.',
  fix: 'inject the sidecar into the calling workload (pod template label `sidecar.istio.io/inject: "true"`), or, if it must stay outside the mesh, give the workloads it calls a PeerAuthentication with PERMISSIVE mode (or a PERMISSIVE port); suppress this finding for workloads that call no STRICT peer',
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
    // The meshed workloads that refuse plaintext.
    const strict: { t: PodTemplateRef; pa: KObject }[] = [];
    const unmeshed: PodTemplateRef[] = [];
    for (const t of objects.podTemplates()) {
      const inj = objects.injection(t);
      if (inj === 'off') { unmeshed.push(t); continue; }
      if (inj !== 'on') continue;
      const eff = workloadMode.get(t) ?? nsMode.get(t.namespace) ?? meshMode;
      if (eff?.mode === 'STRICT') strict.push({ t, pa: eff.pa });
    }
    if (strict.length === 0) return [];
    // Objects do not say whom a workload calls: a STRICT meshed workload in its own namespace is
    // taken as the evidence that it calls one (the dependency graph checks declared calls across
    // namespaces at construct level).
    const strictIn = new Map<string, { t: PodTemplateRef; pa: KObject }[]>();
    for (const s of strict) {
      const l = strictIn.get(s.t.namespace);
      if (l) l.push(s); else strictIn.set(s.t.namespace, [s]);
    }
    const hits: RuleHit[] = [];
    for (const t of unmeshed) {
      const peers = strictIn.get(t.namespace);
      if (!peers) continue;
      hits.push({
        object: t.object,
        location: `${t.path}/metadata`,
        message: `runs without the sidecar, so its calls are plaintext, and ${peers.length} meshed workload${peers.length === 1 ? '' : 's'} of namespace ${t.namespace} refuse plaintext (e.g. ${refOf(peers[0].t.object)}, STRICT by ${refOf(peers[0].pa)})`,
      });
    }
    return hits;
  },
};
