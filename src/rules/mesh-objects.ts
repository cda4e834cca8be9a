// The objects of one rules run, indexed once (by kind, namespace, host and pod label), so that
// every rule is a linear pass plus lookups, whatever the number of services.
import { createRequire } from 'node:module';
import type { KObject } from './rule';
import { ISTIO_SYSTEM } from '../private/istio-facts';
import { asArray, isObject, stringMap } from '../private/json';

/** A pod template found in a workload object, with where it sits in that object. */
export interface PodTemplateRef {
  readonly object: KObject;
  /** JSON pointer of the template (`/spec/template`, `/spec/jobTemplate/spec/template`, `''` for a Pod). */
  readonly path: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** The pod spec (`template.spec`). */
  readonly spec: any;
}

/** Whether a pod gets the sidecar, as far as the objects tell. */
export type Injection = 'on' | 'off' | 'unknown';

/** Where each workload kind keeps its pod template (JSON pointer; `''` for a Pod). */
export const WORKLOAD_TEMPLATE: Record<string, string> = {
  Deployment: '/spec/template',
  StatefulSet: '/spec/template',
  DaemonSet: '/spec/template',
  ReplicaSet: '/spec/template',
  ReplicationController: '/spec/template',
  Job: '/spec/template',
  CronJob: '/spec/jobTemplate/spec/template',
  Pod: '',
};

export const INJECT_KEY = 'sidecar.istio.io/inject';

/** Namespaces the injector never injects: pkg/kube/inject/initializer.go IgnoredNamespaces. */
export const INJECTOR_IGNORED_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/** The indexed objects of one run. Build once per run; every accessor is memoized. */
export class MeshObjects {
  private readonly byKind = new Map<string, KObject[]>();
  private templates?: PodTemplateRef[];
  private templatesByLabel?: Map<string, PodTemplateRef[]>;
  private templatesByNs?: Map<string, PodTemplateRef[]>;
  private namespaces?: Map<string, KObject>;
  private services?: Map<string, KObject>;
  private selectingServices?: Map<PodTemplateRef, KObject[]>;
  private readonly proxyConfigs = new Map<string, Record<string, any> | undefined>();
  private namespacesByDefault?: boolean;
  private hostRegistry?: HostRegistry;

  /**
   * @param all the objects
   * @param appRootNamespace the app's root namespace when the rules run inside an App (`Mesh.rootNamespaceOf`); the plugin has none
   */
  constructor(public readonly all: readonly KObject[], private readonly appRootNamespace?: string) {
    for (const o of all) {
      if (!o || typeof o !== 'object' || typeof o.kind !== 'string') continue;
      const list = this.byKind.get(o.kind);
      if (list) list.push(o); else this.byKind.set(o.kind, [o]);
    }
  }

  /** The ProxyConfig of a pod template's annotations (see `proxyConfigOf`), each distinct annotation read once per run. */
  public proxyConfigOf(annotations: Record<string, string>): Record<string, any> | undefined {
    const raw = annotations['proxy.istio.io/config'] ?? '';
    if (!this.proxyConfigs.has(raw)) this.proxyConfigs.set(raw, proxyConfigOf(annotations));
    return this.proxyConfigs.get(raw);
  }

  /** Objects of a kind; with a group, only those whose apiVersion is in it (`networking.istio.io`). */
  public ofKind(kind: string, group?: string): KObject[] {
    const list = this.byKind.get(kind) ?? [];
    if (group === undefined) return list;
    return list.filter((o) => typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${group}/`));
  }

  public virtualServices(): KObject[] { return this.ofKind('VirtualService', 'networking.istio.io'); }
  public destinationRules(): KObject[] { return this.ofKind('DestinationRule', 'networking.istio.io'); }
  public peerAuthentications(): KObject[] { return this.ofKind('PeerAuthentication', 'security.istio.io'); }
  public istioOperators(): KObject[] { return this.ofKind('IstioOperator', 'install.istio.io'); }
  public telemetries(): KObject[] { return this.ofKind('Telemetry', 'telemetry.istio.io'); }

  /** Every pod template of every workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, ...). */
  public podTemplates(): PodTemplateRef[] {
    if (this.templates) return this.templates;
    const out: PodTemplateRef[] = [];
    for (const [kind, path] of Object.entries(WORKLOAD_TEMPLATE)) {
      for (const o of this.ofKind(kind)) {
        const t = path === '' ? o : at(o, path);
        if (!isObject(t)) continue;
        out.push({
          object: o,
          path,
          namespace: nsOf(o),
          labels: stringMap(t.metadata?.labels),
          annotations: stringMap(t.metadata?.annotations),
          spec: isObject(t.spec) ? t.spec : {},
        });
      }
    }
    this.templates = out;
    return out;
  }

  /** Pod templates in a namespace. */
  public podTemplatesIn(namespace: string): PodTemplateRef[] {
    if (!this.templatesByNs) {
      this.templatesByNs = groupBy(this.podTemplates(), (t) => [t.namespace]);
    }
    return this.templatesByNs.get(namespace) ?? [];
  }

  /**
   * Pod templates in a namespace whose labels include every label given. Looks up the rarest
   * label in an index (namespace + key=value), so a selector costs its matches, not the app.
   */
  public podTemplatesMatching(namespace: string, labels: Record<string, string>): PodTemplateRef[] {
    const entries = Object.entries(labels);
    if (entries.length === 0) return this.podTemplatesIn(namespace);
    if (!this.templatesByLabel) {
      this.templatesByLabel = groupBy(this.podTemplates(), (t) => Object.entries(t.labels).map(([k, v]) => `${t.namespace}\u0000${k}=${v}`));
    }
    let best: PodTemplateRef[] | undefined;
    for (const [k, v] of entries) {
      const c = this.templatesByLabel.get(`${namespace}\u0000${k}=${v}`) ?? [];
      if (!best || c.length < best.length) best = c;
    }
    return (best ?? []).filter((t) => entries.every(([k, v]) => t.labels[k] === v));
  }

  /** The Namespace object of that name in the objects, if any. */
  public namespace(name: string): KObject | undefined {
    if (!this.namespaces) {
      this.namespaces = new Map();
      for (const n of this.ofKind('Namespace')) if (n.metadata?.name) this.namespaces.set(n.metadata.name, n);
    }
    return this.namespaces.get(name);
  }

  /**
   * The Services of its namespace whose non-empty selector selects each pod template (the
   * endpoints Kubernetes gives a Service). Built once per run from the Services, each through the
   * pod label index, so the cost is the number of matches, not services × workloads.
   */
  public servicesSelecting(): ReadonlyMap<PodTemplateRef, KObject[]> {
    if (!this.selectingServices) {
      const out = new Map<PodTemplateRef, KObject[]>();
      for (const svc of this.ofKind('Service')) {
        const selector = stringMap(svc.spec?.selector);
        if (Object.keys(selector).length === 0) continue;
        for (const t of this.podTemplatesMatching(nsOf(svc), selector)) {
          const list = out.get(t);
          if (list) list.push(svc); else out.set(t, [svc]);
        }
      }
      this.selectingServices = out;
    }
    return this.selectingServices;
  }

  /** The Service `name` in `namespace`, if in the objects. */
  public service(namespace: string, name: string): KObject | undefined {
    if (!this.services) {
      this.services = new Map();
      for (const s of this.ofKind('Service')) if (s.metadata?.name) this.services.set(`${nsOf(s)}/${s.metadata.name}`, s);
    }
    return this.services.get(`${namespace}/${name}`);
  }

  /**
   * Whether a pod template gets the sidecar, as the injection webhook decides it.
   *
   * The webhook is reached only through its selectors
   * (manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml): a namespace
   * `istio-injection=enabled`, or `istio.io/rev` without `istio-injection` (any other
   * `istio-injection` value, e.g. `disabled`, matches no webhook, whatever the pod says); in a
   * namespace with neither, only a pod *label* `sidecar.istio.io/inject: "true"` or `istio.io/rev`
   * (an annotation never reaches the webhook), or every pod with
   * `sidecarInjectorWebhook.enableNamespacesByDefault`. A pod label `"false"` is excluded by every
   * selector. Then the injector (pkg/kube/inject/inject.go injectRequired) skips `hostNetwork` pods
   * and the namespaces of pkg/kube/inject/initializer.go IgnoredNamespaces, and prefers the label
   * to the annotation, `"false"` meaning no. With the Namespace not in the app, a pod label
   * `"true"` (or `istio.io/rev`) counts as on, `"false"` as off, anything else as unknown.
   */
  public injection(t: PodTemplateRef): Injection {
    // Injected already (istioctl kube-inject): the proxy is in the template, classic or native.
    if (hasProxyContainer(t.spec)) return 'on';
    if (t.spec?.hostNetwork === true || INJECTOR_IGNORED_NAMESPACES.has(t.namespace)) return 'off';
    const podLabel = t.labels[INJECT_KEY];
    const own = podLabel ?? t.annotations[INJECT_KEY];
    if (String(own) === 'false') return 'off';
    const podOptIn = podLabel === 'true' || t.labels['istio.io/rev'] !== undefined;
    const ns = this.namespace(t.namespace);
    if (!ns) return podOptIn ? 'on' : 'unknown';
    const l = stringMap(ns.metadata?.labels);
    if (l['istio-injection'] !== undefined) return l['istio-injection'] === 'enabled' ? 'on' : 'off';
    if (l['istio.io/rev'] !== undefined) return 'on';
    return podOptIn || this.injectsNamespacesByDefault() ? 'on' : 'off';
  }

  /**
   * The service a destination host names, as istioctl analyze looks it up
   * (pkg/config/analysis/analyzers/util/service_lookup.go GetDestinationHost): visible to every
   * namespace, else to the source namespace (or, when the referring object has an `exportTo`, to
   * each namespace it names), else a wildcard ServiceEntry host visible to every namespace or to
   * the source namespace. Undefined when not found.
   */
  public destinationHost(sourceNs: string, exportTo: unknown, host: string): HostEntry | undefined {
    const reg = this.hosts();
    const fqdn = resolveHost(host, sourceNs);
    const all = reg.exact.get(`*/${fqdn}`);
    if (all) return all;
    const scopes = asArray(exportTo).map(String);
    for (const e of scopes.length === 0 ? [sourceNs] : scopes.map((x) => (x === '.' ? sourceNs : x))) {
      const found = reg.exact.get(`${e}/${fqdn}`);
      if (found) return found;
    }
    const bare = String(host).toLowerCase().replace(/^\*/, '');
    for (const w of reg.wildcards) {
      if ((w.scope === '*' || w.scope === sourceNs) && bare.endsWith(w.suffix)) return w.entry;
    }
    return undefined;
  }

  /**
   * Whether the app can tell that a host does not exist: a cluster host
   * (`name.namespace.svc.cluster.local`) of a namespace with Services, or its Namespace object, in
   * the objects, or a host a ServiceEntry of the objects declares or covers (whatever its
   * `exportTo`). Other hosts may be served by objects applied from elsewhere.
   */
  public judgesHost(fqdn: string): boolean {
    const reg = this.hosts();
    const svc = serviceOfHost(fqdn);
    if (svc && (reg.serviceNamespaces.has(svc.namespace) || this.namespace(svc.namespace))) return true;
    if (reg.serviceEntryHosts.has(fqdn)) return true;
    const bare = fqdn.replace(/^\*/, '');
    return reg.wildcards.some((w) => w.fromServiceEntry && bare.endsWith(w.suffix));
  }

  private hosts(): HostRegistry {
    if (this.hostRegistry) return this.hostRegistry;
    const reg: HostRegistry = { exact: new Map(), wildcards: [], serviceEntryHosts: new Set(), serviceNamespaces: new Set() };
    const put = (scope: string, fqdn: string, entry: HostEntry, fromServiceEntry: boolean) => {
      if (fqdn.startsWith('*')) reg.wildcards.push({ scope, suffix: fqdn.slice(1), entry, fromServiceEntry });
      // First writer wins within a scope; the analyzer's map keeps the last, which only matters for ports of a duplicated host.
      const key = `${scope}/${fqdn}`;
      if (!reg.exact.has(key)) reg.exact.set(key, entry);
    };
    // ServiceEntries: util/service_lookup.go InitServiceEntryHostMap (no exportTo or `*`: every
    // namespace; `.`: its own; a name: that namespace).
    for (const se of this.ofKind('ServiceEntry', 'networking.istio.io')) {
      const ns = nsOf(se);
      const entry: HostEntry = { object: se, ports: asArray(se.spec?.ports).map((p) => Number(p?.number)).filter((n) => Number.isFinite(n)) };
      const scopes = asArray(se.spec?.exportTo).map(String);
      const resolved = scopes.length === 0 || scopes.includes('*') ? ['*'] : scopes.map((e) => (e === '.' ? ns : e));
      for (const h of asArray(se.spec?.hosts)) {
        if (typeof h !== 'string') continue;
        const fqdn = resolveHost(h, ns);
        reg.serviceEntryHosts.add(fqdn);
        for (const scope of resolved) put(scope, fqdn, entry, true);
      }
    }
    // Services: visible where their `networking.istio.io/exportTo` annotation says (every
    // namespace without it), util/service_lookup.go getVisibleNamespacesFromExportToAnno.
    for (const svc of this.ofKind('Service')) {
      const name = svc.metadata?.name;
      if (typeof name !== 'string' || !name) continue;
      const ns = nsOf(svc);
      reg.serviceNamespaces.add(ns);
      const entry: HostEntry = { object: svc, ports: asArray(svc.spec?.ports).map((p) => Number(p?.port)).filter((n) => Number.isFinite(n)) };
      const anno = stringMap(svc.metadata?.annotations)['networking.istio.io/exportTo'] ?? '';
      const scopes = anno === '' ? ['*'] : anno.split(',').map((e) => e.trim()).map((e) => (e === '.' ? ns : e));
      for (const scope of scopes) put(scope, resolveHost(name, ns), entry, false);
    }
    this.hostRegistry = reg;
    return reg;
  }

  /** Whether an IstioOperator of the app sets `values.sidecarInjectorWebhook.enableNamespacesByDefault`. */
  public injectsNamespacesByDefault(): boolean {
    this.namespacesByDefault ??= this.istioOperators().some((io) => io.spec?.values?.sidecarInjectorWebhook?.enableNamespacesByDefault === true);
    return this.namespacesByDefault;
  }

  /**
   * The mesh root namespace: an IstioOperator's `meshConfig.rootNamespace`, else its
   * `values.global.istioNamespace` (the istiod chart writes `rootNamespace: {{
   * .Values.meshConfig.rootNamespace | default .Values.global.istioNamespace }}`,
   * manifests/charts/istio-control/istio-discovery/templates/configmap.yaml), else the app's
   * root namespace (in-app runs), else `istio-system`.
   */
  public rootNamespace(): string {
    for (const io of this.istioOperators()) {
      const r = io.spec?.meshConfig?.rootNamespace ?? io.spec?.values?.global?.istioNamespace;
      if (typeof r === 'string' && r) return r;
    }
    return this.appRootNamespace ?? ISTIO_SYSTEM;
  }
}

/** A service a destination host resolves to: a Service or a ServiceEntry, with its port numbers. */
export interface HostEntry {
  readonly object: KObject;
  readonly ports: number[];
}

interface HostRegistry {
  /** `scope/fqdn` (scope: a namespace or `*`). */
  readonly exact: Map<string, HostEntry>;
  /** Wildcard hosts (`*.acme.com`), kept apart so that an exact lookup never scans them. */
  readonly wildcards: { scope: string; suffix: string; entry: HostEntry; fromServiceEntry: boolean }[];
  readonly serviceEntryHosts: Set<string>;
  readonly serviceNamespaces: Set<string>;
}

/** Whether a pod spec already has the `istio-proxy` container (manual injection), classic or native. */
export function hasProxyContainer(spec: any): boolean {
  return [...asArray(spec?.containers), ...asArray(spec?.initContainers)].some((c) => c?.name === PROXY_CONTAINER);
}

/** The sidecar's container name (pkg/kube/inject: ProxyContainerName). */
export const PROXY_CONTAINER = 'istio-proxy';

/** The namespace an object lands in (`default` when it names none, as kubectl applies it). */
export function nsOf(o: KObject): string {
  const ns = o?.metadata?.namespace;
  return typeof ns === 'string' && ns ? ns : 'default';
}

/** `Kind/namespace/name`: how findings name an object. */
export function refOf(o: KObject): string {
  return `${o?.kind ?? '?'}/${nsOf(o)}/${o?.metadata?.name ?? '?'}`;
}

/**
 * A host as Istio resolves it from an object in `namespace`: only a name without a dot
 * (`checkout`) becomes `checkout.<namespace>.svc.cluster.local`; anything with a dot
 * (`checkout.shop`, an IP, `*.acme.com`) and `*` are kept as written (lowercased).
 * Istio: pilot/pkg/model/config.go ResolveShortnameToFQDN and
 * pkg/config/analysis/analyzers/util/hosts.go ConvertHostToFQDN (`!strings.Contains(host, ".")`).
 */
export function resolveHost(host: string, namespace: string): string {
  const h = String(host).toLowerCase();
  if (h.startsWith('*') || h.includes('.')) return h;
  return `${h}.${namespace}.svc.cluster.local`;
}

export { hostsOverlap } from '../private/hosts';

/**
 * The namespaces an Istio config object is visible to (its `exportTo`): `'*'` for all (no
 * exportTo, or one naming `*`), else the set named, with `.` read as the object's namespace.
 * Istio: pkg/config/analysis/analyzers/util/exportto.go IsExportToAllNamespaces.
 */
export function exportScopes(o: KObject): string[] {
  const list = asArray(o.spec?.exportTo).map(String);
  if (list.length === 0 || list.includes('*')) return ['*'];
  return [...new Set(list.map((e) => (e === '.' ? nsOf(o) : e)))].sort();
}

/** The Service a cluster host names (`{ namespace, name }`), or undefined for other hosts. */
export function serviceOfHost(host: string): { namespace: string; name: string } | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(host);
  return m ? { name: m[1], namespace: m[2] } : undefined;
}

/** A VirtualService that applies to sidecars: no gateways, or the reserved gateway `mesh`. */
export function isMeshBound(vs: KObject): boolean {
  const gw = vs.spec?.gateways;
  return !Array.isArray(gw) || gw.length === 0 || gw.includes('mesh');
}

/** The value at a JSON pointer, or undefined. */
export function at(o: any, pointer: string): any {
  let cur = o;
  for (const p of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** Escapes a key for a JSON pointer. */
export function ptr(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The ProxyConfig in a `proxy.istio.io/config` annotation (JSON or YAML), or undefined when
 * absent or unreadable (an unreadable one is not this pack's concern: the injector rejects it).
 * Rules call `MeshObjects.proxyConfigOf`, which reads each distinct annotation once per run.
 */
export function proxyConfigOf(annotations: Record<string, string>): Record<string, any> | undefined {
  const raw = annotations['proxy.istio.io/config'];
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const v = parseConfig(raw);
  return isObject(v) ? v : undefined;
}

function parseConfig(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    // YAML: the parser cdk8s bundles (the library ships none of its own; Node caches the module).
    // Unlike `Yaml.load`, a document with errors is refused rather than half-read, so a broken
    // annotation yields no findings.
    try {
      const doc = createRequire(require.resolve('cdk8s'))('yaml').parseDocument(raw);
      return doc.errors.length ? undefined : doc.toJSON();
    } catch {
      return undefined;
    }
  }
}

function groupBy<T>(items: readonly T[], keys: (t: T) => string[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    for (const k of keys(it)) {
      const l = m.get(k);
      if (l) l.push(it); else m.set(k, [it]);
    }
  }
  return m;
}
