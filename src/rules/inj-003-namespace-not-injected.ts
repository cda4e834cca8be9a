import { INJECTOR_IGNORED_NAMESPACES } from './mesh-objects';
import { MeshRule, RuleHit } from './rule';
import { ISTIO_SYSTEM } from '../private/istio-facts';
import { stringMap } from '../private/json';

/**
 * MESH-INJ-003: a Namespace of the app with neither `istio-injection` nor `istio.io/rev`
 * (IST0102), or, with `sidecarInjectorWebhook.enableNamespacesByDefault` on, one injected only
 * because of that install flag (IST0148): pkg/config/analysis/analyzers/injection/injection.go.
 * As the analyzer, istio-system and ambient namespaces (`istio.io/dataplane-mode=ambient`) are
 * skipped; here also the mesh root namespace and the namespaces the injector never injects
 * (pkg/kube/inject/initializer.go IgnoredNamespaces), where a label would change nothing.
 */
export const namespaceNotInjected: MeshRule = {
  id: 'MESH-INJ-003',
  // Analyze reports both as Info: nothing fails, but whether pods get a sidecar is left implicit.
  level: 'warning',
  istioCodes: ['IST0102', 'IST0148'],
  info: 'Namespace without `istio-injection` or `istio.io/rev`: its pods get no sidecar unless each opts in, or get one only by the install\'s enableNamespacesByDefault (IST0102, IST0148)',
  explanation: 'Without an injection label the injection webhook reaches a pod of the namespace only through the pod\'s own '
    + '`sidecar.istio.io/inject: "true"` or `istio.io/rev` label, so any workload added without it runs outside the mesh '
    + '(and fails against STRICT mTLS). With enableNamespacesByDefault every pod is injected, but only as long as the '
    + 'install keeps that flag. istioctl analyze asks for an explicit label either way.',
  fix: 'label the Namespace `istio-injection=enabled` (or `istio.io/rev=<revision>`), or `istio-injection=disabled` to state that it stays out of the mesh',
  check(objects) {
    const hits: RuleHit[] = [];
    const root = objects.rootNamespace();
    for (const ns of objects.ofKind('Namespace')) {
      const name = ns.metadata?.name;
      if (typeof name !== 'string' || name === ISTIO_SYSTEM || name === root || INJECTOR_IGNORED_NAMESPACES.has(name)) continue;
      const l = stringMap(ns.metadata?.labels);
      if (l['istio.io/dataplane-mode'] === 'ambient') continue;
      // The analyzer tests `injectionLabel == "" && !okNewInjectionLabel`: an empty istio-injection
      // counts as none. No webhook selects its pods either (every namespaceSelector of
      // istio-discovery templates/mutatingwebhook.yaml wants istio-injection absent or `enabled`).
      const blank = l['istio-injection'] === '';
      if ((l['istio-injection'] !== undefined && !blank) || l['istio.io/rev'] !== undefined) continue;
      hits.push({
        object: ns,
        location: '/metadata/labels',
        message: blank
          ? `namespace ${name} has an empty istio-injection label and no istio.io/rev: no injection webhook selects its pods, even those that opt in`
          : objects.injectsNamespacesByDefault()
            ? `namespace ${name} is injected only because the install sets sidecarInjectorWebhook.enableNamespacesByDefault, and has no injection label`
            : `namespace ${name} has neither istio-injection nor istio.io/rev: its pods get no sidecar unless they opt in`,
      });
    }
    return hits;
  },
};
