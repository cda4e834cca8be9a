// The annotations istioctl analyze's annotation analyzer reads
// (pkg/config/analysis/analyzers/annotations/annotations.go K8sAnalyzer), and what it knows about them.
import { ISTIO_ANNOTATIONS } from './istio-annotations';
import { MeshObjects, PodTemplateRef, ptr } from './mesh-objects';
import { KObject } from './rule';
import { stringMap } from '../private/json';

/** An annotated object as the analyzer sees it. */
export interface AnnotationSite {
  readonly object: KObject;
  /** The kind the analyzer judges it as: a pod template is judged as the Pod it becomes. */
  readonly kind: 'Namespace' | 'Service' | 'Deployment' | 'Pod';
  /** JSON pointer of the annotations map. */
  readonly location: string;
  readonly annotations: Record<string, string>;
  readonly labels: Record<string, string>;
  /** The pod template, for Pods and pod templates. */
  readonly template?: PodTemplateRef;
}

/** An annotation definition of istio/api. */
export interface AnnotationDef {
  readonly name: string;
  readonly resources: readonly string[];
  readonly deprecated: boolean;
}

const DEFS = new Map<string, AnnotationDef>(ISTIO_ANNOTATIONS.map(([name, resources, deprecated]) => [name, { name, resources, deprecated }]));

/**
 * Annotations the analyzers never report (pkg/config/analysis/analyzers/maturity/maturity.go
 * AlwaysIgnoredAnnotations): set by istiod or controllers, not by users.
 */
const ALWAYS_IGNORED = new Set(['sidecar.istio.io/status', 'gateway.istio.io/controller-version', 'istio.io/rev']);

/**
 * Where the analyzer reads annotations: the metadata of Namespaces, Services, Deployments and
 * Pods. Before apply there are no Pods yet but pod templates, judged as the Pods they become
 * (the Deployment's own metadata is still judged as a Deployment).
 */
export function annotationSites(objects: MeshObjects): AnnotationSite[] {
  const out: AnnotationSite[] = [];
  for (const kind of ['Namespace', 'Service', 'Deployment'] as const) {
    for (const o of objects.ofKind(kind)) {
      out.push({ object: o, kind, location: '/metadata/annotations', annotations: stringMap(o.metadata?.annotations), labels: stringMap(o.metadata?.labels) });
    }
  }
  for (const t of objects.podTemplates()) {
    out.push({ object: t.object, kind: 'Pod', location: `${t.path}/metadata/annotations`, annotations: t.annotations, labels: t.labels, template: t });
  }
  return out;
}

/**
 * The Istio annotations of a site the analyzer looks at: those in an `istio.io` domain (the part
 * before the first `/` ends with `istio.io`), and `kubernetes.io/ingress.class`, minus the ones it
 * always ignores (annotations.go istioAnnotation).
 */
export function istioAnnotationsOf(site: AnnotationSite): [string, string][] {
  return Object.entries(site.annotations).filter(([k]) => (k === 'kubernetes.io/ingress.class' || k.split('/')[0].endsWith('istio.io')) && !ALWAYS_IGNORED.has(k));
}

/** The definition of an annotation, if istio/api knows it. */
export function annotationDef(name: string): AnnotationDef | undefined {
  return DEFS.get(name);
}

/** Whether an annotation is placed on a kind it attaches to (`Any`, or its kind listed). */
export function attachesTo(def: AnnotationDef, kind: string): boolean {
  return def.resources.includes('Any') || def.resources.includes(kind);
}

/** The JSON pointer of one annotation of a site. */
export function annotationLocation(site: AnnotationSite, key: string): string {
  return `${site.location}/${ptr(key)}`;
}

