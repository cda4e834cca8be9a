import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { MtlsMode, MtlsScope, MtlsScopeKind } from './mtls-scope';
import { OutsideClient } from './outside-client';
import {
  PeerAuthenticationSpec,
  PeerAuthenticationSpecMtlsMode,
  PeerAuthenticationSpecPortLevelMtls,
  PeerAuthenticationSpecPortLevelMtlsMode,
} from '../../imports/security.istio.io';
import { DependencyGraph } from '../graph/dependency-graph';
import { IstioApiVersion } from '../istio-api-version';
import { Mesh } from '../mesh';
import { MeshedService } from '../meshed-service';
import { checkAnnotationsSize, checkEnum, checkList, checkObject, checkPort, checkReason } from '../private/checks';
import { fail, problem, show } from '../private/errors';
import { istioObject } from '../private/istio-object';
import { MeshRegistry } from '../private/registry';
import { declareRootNamespace, rootNamespaceOf } from '../private/root-namespace';
import { addValidationOncePerSynth } from '../private/synth-once';

/**
 * A port of a workload whose mode differs from the workload's policy (`portLevelMtls`),
 * e.g. a port kept PERMISSIVE for a scraper that has no certificate.
 */
export interface MtlsPortException {
  /**
   * The port the container listens on. Istio reads the workload's port here, not the
   * Service port.
   */
  readonly port: number;

  /**
   * Mode of the port.
   *
   * @default MtlsMode.PERMISSIVE - the port still accepts mTLS from meshed callers
   */
  readonly mode?: MtlsMode;

  /**
   * Why the port is excepted (written to the annotation `cdk8s-mesh.dev/port-<port>-reason`).
   * Required when `mode` is DISABLE.
   *
   * @default - none
   */
  readonly reason?: string;
}

/**
 * One PeerAuthentication of a migration: a namespace or a workload moved ahead of (or held
 * behind) the mesh-wide mode.
 */
export interface MtlsPolicy {
  /** The namespace or workload the policy governs. */
  readonly scope: MtlsScope;

  /**
   * Mode of the scope.
   *
   * @default MtlsMode.STRICT - a staged migration moves scopes to STRICT ahead of the mesh
   */
  readonly mode?: MtlsMode;

  /**
   * Why the scope has this mode (written to the annotation `cdk8s-mesh.dev/reason`).
   * Required, at least 10 characters, when `mode` is DISABLE.
   *
   * @default - none
   */
  readonly reason?: string;

  /**
   * Ports of a workload with a mode of their own. Workload scope only: Istio rejects
   * `portLevelMtls` on a policy without a selector.
   *
   * @default - none
   */
  readonly portExceptions?: MtlsPortException[];
}

/**
 * Props for an MtlsMigration.
 */
export interface MtlsMigrationProps {
  /**
   * Istio's root namespace: its `default` policy is the mesh-wide one. The root namespace is
   * one app-wide fact: giving it here declares it for the whole app, as
   * `Mesh.declareRootNamespace` does (a second, different declaration is refused, and so is a
   * TunedControlPlane in another namespace).
   *
   * @default - the app's root namespace (`Mesh.rootNamespaceOf`): the TunedControlPlane's namespace, `Mesh.declareRootNamespace`, or `istio-system`
   * @deprecated declare the root namespace once for the app with `Mesh.declareRootNamespace`, or let the TunedControlPlane's namespace decide
   */
  readonly rootNamespace?: string;

  /**
   * The mesh-wide mode. A migration starts PERMISSIVE, moves namespaces and workloads to
   * STRICT with `policies`, and ends with the mesh STRICT.
   *
   * @default MtlsMode.PERMISSIVE - Istio's own default; STRICT breaks every caller without a certificate
   * @see https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/
   */
  readonly meshMode?: MtlsMode;

  /**
   * Why the mesh-wide mode is DISABLE (at least 10 characters; written to the annotation
   * `cdk8s-mesh.dev/reason`).
   *
   * @default - none; required when meshMode is DISABLE
   */
  readonly meshModeReason?: string;

  /**
   * Namespaces and workloads with a mode of their own (more add with `addPolicy`).
   *
   * @default - none: the mesh-wide mode applies everywhere
   */
  readonly policies?: MtlsPolicy[];

  /**
   * Clients without a sidecar (more add with `addOutsideClient`). Workloads of the app with
   * `injectSidecar: false` are found without being declared; declare them to say what they call.
   *
   * @default - none
   */
  readonly outsideClients?: OutsideClient[];

  /**
   * Istio API version to write.
   *
   * @default IstioApiVersion.V1
   */
  readonly istioApiVersion?: IstioApiVersion;
}

/** A policy as the migration keeps it. */
interface PolicyEntry {
  readonly scope: MtlsScope;
  readonly mode: MtlsMode;
  readonly reason?: string;
  readonly portExceptions: MtlsPortException[];
  readonly object: ApiObject;
}

/** Someone who may send plaintext to a scope. */
interface Caller {
  readonly key: string;
  /** Named in the error: who breaks. */
  readonly description: string;
  /** How to unblock, for this kind of caller. */
  readonly fix: string;
}

/** Ports of the sidecar itself, never captured for the app: PeerAuthentication does not govern them. */
const PROXY_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];
const ANNOTATION_PREFIX = 'cdk8s-mesh.dev';

/**
 * A staged move of a mesh from PERMISSIVE to STRICT mutual TLS: the mesh-wide mode, the
 * namespaces and workloads moved to STRICT ahead of it, and the clients outside the mesh that
 * would break. It writes only `security.istio.io` PeerAuthentications, and refuses at synth a
 * STRICT that a known plaintext caller would hit.
 */
export class MtlsMigration extends Construct {
  /** True when `x` is an MtlsMigration (works across copies of the library). */
  public static isMtlsMigration(x: any): x is MtlsMigration {
    return x !== null && typeof x === 'object' && MTLS_MIGRATION in (x as object);
  }

  /** Istio's root namespace (the app-wide fact, read at synth). */
  public get rootNamespace(): string {
    return rootNamespaceOf(this).namespace;
  }
  /** The mesh-wide mode. */
  public readonly meshMode: MtlsMode;
  /** Istio API version written. */
  public readonly istioApiVersion: IstioApiVersion;
  /** The mesh-wide PeerAuthentication (`default` in the root namespace). */
  public readonly meshPolicy: ApiObject;

  private readonly entries: PolicyEntry[] = [];
  private readonly clients: OutsideClient[] = [];

  constructor(scope: Construct, id: string, props: MtlsMigrationProps = {}) {
    super(scope, id);
    Object.defineProperty(this, MTLS_MIGRATION, { value: true });
    props = checkObject(this, 'props', props, '{ policies: [{ scope: MtlsScope.namespace("shop"), mode: MtlsMode.STRICT }] }', true);
    checkList(this, 'policies', props.policies, '{ scope: MtlsScope.namespace("shop"), mode: MtlsMode.STRICT }');
    checkList(this, 'outsideClients', props.outsideClients, 'OutsideClient.named("monitoring", "prometheus")');
    MeshRegistry.of(this).add('mtls-migration', this);
    if (props.rootNamespace !== undefined) declareRootNamespace(this, 'rootNamespace', props.rootNamespace, `MtlsMigration.rootNamespace at ${this.node.path}`);
    this.meshMode = checkMode(this, 'meshMode', props.meshMode ?? MtlsMode.PERMISSIVE);
    checkModeReason(this, 'meshModeReason', this.meshMode, props.meshModeReason, 'meshMode');
    this.istioApiVersion = props.istioApiVersion ?? IstioApiVersion.V1;
    checkEnum(this, 'istioApiVersion', this.istioApiVersion, IstioApiVersion, 'IstioApiVersion');

    const meshScope = MtlsScope.mesh();
    this.meshPolicy = istioObject(this, 'Mesh', 'security.istio.io', 'PeerAuthentication', this.istioApiVersion,
      // The namespace is resolved at synth: the control plane that decides it may be created later.
      { name: 'default', namespace: Lazy.any({ produce: () => this.rootNamespace }) as unknown as string, annotations: checkAnnotationsSize(this, 'meshModeReason', reasonAnnotations(props.meshModeReason, [])) },
      () => this.render(this.entries[0]));
    this.entries.push({ scope: meshScope, mode: this.meshMode, reason: props.meshModeReason, portExceptions: [], object: this.meshPolicy });

    for (const p of props.policies ?? []) this.addPolicy(p);
    for (const c of props.outsideClients ?? []) this.addOutsideClient(c);

    addValidationOncePerSynth(this, () => this.validateApp());
  }

  /**
   * Gives a namespace or a workload a mode of its own, ahead of (or behind) the mesh.
   *
   * @returns the PeerAuthentication written for it
   */
  public addPolicy(policy: MtlsPolicy): ApiObject {
    const prop = `policies[${this.entries.length - 1}]`;
    checkObject(this, prop, policy, '{ scope: MtlsScope.namespace("shop"), mode: MtlsMode.STRICT }');
    const scope = policy.scope;
    if (!(scope instanceof MtlsScope)) {
      fail(this, `${prop}.scope`, scope, 'must be an MtlsScope', 'use MtlsScope.namespace(...) or MtlsScope.workload(...)');
    }
    scope._check(this, `${prop}.scope`);
    const mode = checkMode(this, `${prop}.mode`, policy.mode ?? MtlsMode.STRICT);
    checkModeReason(this, `${prop}.reason`, mode, policy.reason, `the mode of ${scope}`);
    const ports = checkList(this, `${prop}.portExceptions`, policy.portExceptions, '{ port: 9090, mode: MtlsMode.PERMISSIVE, reason: "..." }') ?? [];
    ports.forEach((p, i) => checkObject(this, `${prop}.portExceptions[${i}]`, p, '{ port: 9090, mode: MtlsMode.PERMISSIVE, reason: "..." }'));

    if (scope.kind === MtlsScopeKind.MESH) {
      fail(this, `${prop}.scope`, 'MtlsScope.mesh()', 'cannot be a policy: the mesh-wide policy comes from meshMode', 'set meshMode (and meshModeReason for DISABLE) instead');
    }
    if (scope.kind === MtlsScopeKind.NAMESPACE && ports.length > 0) {
      fail(this, `${prop}.portExceptions`, ports.map((p) => p?.port),
        `cannot be set on a namespace-wide policy (${scope}): Istio rejects portLevelMtls without a workload selector`,
        'add a policy for MtlsScope.workload(service) with the port exceptions, for the workload that listens on the port');
    }
    if (scope.kind === MtlsScopeKind.WORKLOAD) {
      const svc = scope.service as MeshedService;
      if (!svc.sidecarInjected) {
        fail(this, `${prop}.scope`, svc.node.path, 'has no sidecar (injectSidecar: false), so no PeerAuthentication applies to it',
          'inject its sidecar first, or declare it with OutsideClient.workload(...) so the migration knows it calls in plaintext');
      }
      if (svc.namespace === undefined) {
        fail(this, `${prop}.scope`, svc.node.path, 'has no known namespace, and a workload policy must be written in the workload\'s namespace',
          'set namespace on the MeshedService or on its Chart');
      }
      this.checkPorts(prop, svc, mode, ports);
    }
    const clash = this.entries.find((e) => e.scope._key === scope._key);
    if (clash) {
      fail(this, `${prop}.scope`, String(scope), 'already has a policy in this migration: two policies for one scope are not merged reliably by Istio',
        'keep one policy per namespace or workload, and change its mode');
    }
    const name = scope.kind === MtlsScopeKind.NAMESPACE ? 'default' : (scope.service as MeshedService).name;
    const namespace = scope.namespaceName as string;
    const taken = this.entries.find((e) => e.scope.kind !== MtlsScopeKind.MESH
      && e.object.metadata.name === name && e.object.metadata.namespace === namespace);
    if (taken) {
      fail(this, `${prop}.scope`, String(scope), `would write PeerAuthentication ${namespace}/${name}, which ${taken.scope} already writes`,
        'rename the service: a workload named "default" collides with the namespace-wide policy');
    }

    const id = scope.kind === MtlsScopeKind.NAMESPACE ? `Namespace-${namespace}` : `Workload-${namespace}-${name}`;
    const entry: PolicyEntry = {
      scope,
      mode,
      reason: policy.reason,
      portExceptions: ports.map((p) => ({ ...p, mode: p.mode ?? MtlsMode.PERMISSIVE })),
      object: undefined as unknown as ApiObject,
    };
    const object = istioObject(this, id, 'security.istio.io', 'PeerAuthentication', this.istioApiVersion,
      { name, namespace, annotations: checkAnnotationsSize(this, `${prop}.reason`, reasonAnnotations(policy.reason, entry.portExceptions)) },
      () => this.render(entry));
    (entry as { object: ApiObject }).object = object;
    this.entries.push(entry);
    return object;
  }

  /** Declares a client without a sidecar, and what it calls. */
  public addOutsideClient(client: OutsideClient): void {
    const prop = `outsideClients[${this.clients.length}]`;
    if (!(client instanceof OutsideClient)) {
      fail(this, prop, client, 'must be an OutsideClient', 'use OutsideClient.named(namespace, name) or OutsideClient.workload(service)');
    }
    client._check(this, prop);
    if (this.clients.some((c) => c._key === client._key)) {
      fail(this, prop, String(client), 'is already declared', 'declare each client once, with everything it calls');
    }
    this.clients.push(client);
  }

  /** The policies of namespaces and workloads, in the order they were added (copies). */
  public get policies(): MtlsPolicy[] {
    return this.entries.slice(1).map((e) => ({
      scope: e.scope, mode: e.mode, reason: e.reason, portExceptions: e.portExceptions.map((p) => ({ ...p })),
    }));
  }

  /** The declared outside clients (a copy of the list). */
  public get outsideClients(): OutsideClient[] {
    return [...this.clients];
  }

  /** The PeerAuthentication written for a scope (the mesh's for `MtlsScope.mesh()`), if any. */
  public policyObject(scope: MtlsScope): ApiObject | undefined {
    return this.entries.find((e) => e.scope._key === scope._key)?.object;
  }

  /**
   * The mode that governs a workload's pods: its own policy, else its namespace's, else the
   * mesh's (Istio's precedence). Port exceptions aside.
   */
  public modeOf(service: MeshedService): MtlsMode {
    return this.governing(service).mode;
  }

  private render(entry: PolicyEntry): PeerAuthenticationSpec {
    const selector = entry.scope.kind === MtlsScopeKind.WORKLOAD ? { matchLabels: (entry.scope.service as MeshedService).selectorLabels } : undefined;
    const portLevelMtls: Record<string, PeerAuthenticationSpecPortLevelMtls> = {};
    for (const p of entry.portExceptions) portLevelMtls[String(p.port)] = { mode: portWire(p.mode as MtlsMode) };
    return {
      selector,
      mtls: { mode: modeWire(entry.mode) },
      portLevelMtls: entry.portExceptions.length ? portLevelMtls : undefined,
    };
  }

  private checkPorts(prop: string, svc: MeshedService, mode: MtlsMode, ports: MtlsPortException[]): void {
    const seen = new Set<number>();
    ports.forEach((p, i) => {
      const at = `${prop}.portExceptions[${i}]`;
      const port = p?.port;
      checkPort(this, `${at}.port`, port, `set it to a port the container of ${svc.name} listens on`);
      if (seen.has(port)) {
        fail(this, `${at}.port`, port, 'is excepted twice', 'keep one exception per port');
      }
      seen.add(port);
      if (PROXY_PORTS.includes(port)) {
        fail(this, `${at}.port`, port, 'is a port of the sidecar itself, which is never captured for the app, so PeerAuthentication does not govern it',
          'remove the exception: the sidecar\'s ports already take plaintext (Prometheus scrapes merged metrics on 15020, where kubelet probes are also rewritten)');
      }
      if (port === svc.servicePort && svc.servicePort !== svc.port) {
        fail(this, `${at}.port`, port, `is the Service port of ${svc.name}; Istio reads the container port here`,
          `use the container port, ${svc.port}`);
      }
      const portMode = checkMode(this, `${at}.mode`, p.mode ?? MtlsMode.PERMISSIVE);
      if (portMode === MtlsMode.STRICT) {
        fail(this, `${at}.mode`, portMode, 'must be PERMISSIVE or DISABLE: port exceptions keep a port below STRICT',
          'make the workload STRICT and except the ports that must stay PERMISSIVE');
      }
      if (portMode === mode) {
        fail(this, `${at}.mode`, portMode, 'is the workload\'s own mode, so the exception does nothing',
          'remove it, or make the workload STRICT and keep this port PERMISSIVE');
      }
      checkModeReason(this, `${at}.reason`, portMode, p.reason, `port ${port}`);
    });
  }

  /** The policy that governs a workload: its own, its namespace's, or the mesh's. */
  private governing(service: MeshedService): PolicyEntry {
    return this.entries.find((e) => e.scope.kind === MtlsScopeKind.WORKLOAD && e.scope.service === service)
      ?? this.entries.find((e) => e.scope.kind === MtlsScopeKind.NAMESPACE && e.scope.namespaceName === service.namespace)
      ?? this.entries[0];
  }

  /**
   * Everyone who may send plaintext to the pods a policy governs. Today: declared outside
   * clients whose `calls` reach the scope, and workloads of the app without a sidecar that
   * the scope contains (they call their neighbours, and cannot themselves receive mTLS).
   *
   * And from the dependency graph (`talksTo`): callers without a sidecar of any meshed
   * workload this policy governs, wherever they run.
   */
  private callersOf(entry: PolicyEntry): Caller[] {
    const scope = entry.scope;
    const callers: Caller[] = [];
    const add = (c: Caller) => {
      if (!callers.some((x) => x.key === c.key)) callers.push(c);
    };
    for (const client of this.clients) {
      const reaches = client.calls.find((t) => this.reaches(t, entry));
      if (!reaches) continue;
      const unknown = reaches.kind === MtlsScopeKind.MESH;
      add({
        key: `client:${client._key}`,
        description: `${client} ${unknown ? 'may call any workload (calls: MtlsScope.mesh(), the default when its calls are not declared)' : `calls ${reaches}`}`,
        fix: (client.service ? `inject the sidecar of ${client.service.node.path} (injectSidecar: true)` : `bring ${client.namespace}/${client.name} into the mesh (inject its sidecar)`)
          + (unknown && scope.kind !== MtlsScopeKind.MESH ? `, declare what it calls (calls: [...]) if that is not ${scope}` : '')
          + (reaches.kind === MtlsScopeKind.WORKLOAD && scope.kind === MtlsScopeKind.NAMESPACE ? `, hold ${reaches} back with a PERMISSIVE policy of its own` : ''),
      });
    }
    for (const svc of Mesh.servicesOf(this).filter((s) => !s.sidecarInjected)) {
      const inside = scope.kind === MtlsScopeKind.MESH
        || (scope.kind === MtlsScopeKind.NAMESPACE && (svc.namespace === undefined || svc.namespace === scope.namespaceName));
      if (!inside) continue;
      const declared = this.clients.find((c) => c.service === svc);
      const unknownNs = svc.namespace === undefined;
      add({
        key: declared ? `client:${declared._key}` : `workload:${svc.node.path}`,
        description: `workload ${svc.namespace ?? '(no namespace)'}/${svc.name} (${svc.node.path}) has no sidecar${unknownNs ? ' and no known namespace' : ''}: it cannot receive mTLS, and its plaintext calls to its neighbours would be refused`,
        fix: `inject its sidecar (injectSidecar: true)${unknownNs ? ' and set its namespace' : ''}`,
      });
    }
    const graph = DependencyGraph.of(this);
    for (const callee of Mesh.servicesOf(this).filter((w) => w.sidecarInjected && this.governing(w) === entry)) {
      for (const caller of graph.callersOf(callee).filter((c) => !c.sidecarInjected)) {
        const declared = this.clients.find((c) => c.service === caller);
        add({
          key: declared ? `client:${declared._key}` : `workload:${caller.node.path}`,
          description: `workload ${caller.namespace ?? '(no namespace)'}/${caller.name} (${caller.node.path}) has no sidecar and talksTo ${callee.node.path}: its plaintext calls would be refused`,
          fix: `inject the sidecar of ${caller.node.path} (injectSidecar: true)`,
        });
      }
    }
    return callers;
  }

  /** Whether a call to `target` may land on pods that `entry` governs. */
  private reaches(target: MtlsScope, entry: PolicyEntry): boolean {
    const scope = entry.scope;
    if (target.kind === MtlsScopeKind.MESH || scope.kind === MtlsScopeKind.MESH) return true;
    if (target.kind === MtlsScopeKind.NAMESPACE) return target.namespaceName === scope.namespaceName;
    const svc = target.service as MeshedService;
    if (!svc.sidecarInjected) return false; // plaintext to a pod without a sidecar is not refused
    if (scope.kind === MtlsScopeKind.WORKLOAD) return svc === scope.service;
    // a namespace policy governs a workload of it unless the workload has its own policy
    return svc.namespace === scope.namespaceName && this.governing(svc) === entry;
  }

  /**
   * The root namespace is read at synth (a TunedControlPlane or Mesh.declareRootNamespace may
   * come after this construct). Istio looks policies up in `[workload namespace, root
   * namespace]` and applies a root-namespace PeerAuthentication whose selector matches to
   * workloads of every namespace (pilot/pkg/model/authentication.go, getConfigsForWorkload).
   */
  private rootNamespaceProblems(): string[] {
    const errors: string[] = [];
    const rootNs = this.rootNamespace;
    this.entries.forEach((entry, i) => {
      const prop = `policies[${i - 1}].scope`;
      if (entry.scope.kind === MtlsScopeKind.NAMESPACE && entry.scope.namespaceName === rootNs) {
        errors.push(problem(this, prop, entry.scope.namespaceName, 'is the root namespace: its default policy is the mesh-wide one, which meshMode writes',
          'set meshMode for the whole mesh, or name the namespace of the workloads you mean'));
      }
      if (entry.scope.kind === MtlsScopeKind.WORKLOAD && entry.scope.service?.namespace === rootNs) {
        errors.push(problem(this, prop, entry.scope.service.node.path,
          `runs in the root namespace ${show(rootNs)}, where Istio applies a PeerAuthentication with a selector to matching workloads of every namespace`,
          'run the workload in a namespace of its own'));
      }
    });
    return errors;
  }

  private validateApp(): string[] {
    const errors: string[] = [...this.rootNamespaceProblems()];
    const where = (e: PolicyEntry) => e.scope.kind === MtlsScopeKind.MESH ? 'meshMode' : `mode of ${e.scope}`;
    for (const entry of this.entries) {
      if (entry.mode !== MtlsMode.STRICT) continue;
      for (const caller of this.callersOf(entry)) {
        const mesh = entry.scope.kind === MtlsScopeKind.MESH;
        const rule = mesh
          ? `cannot be STRICT while ${caller.description}; mesh-wide STRICT is the last stage, once no workload or declared client of the app is outside the mesh`
          : `cannot be STRICT while ${caller.description}`;
        const fix = `${caller.fix}, or ${mesh ? 'keep meshMode PERMISSIVE and move namespaces to STRICT one by one' : `keep ${entry.scope} PERMISSIVE`} until then`;
        errors.push(problem(this, where(entry), entry.mode, rule, fix));
      }
    }
    for (const client of this.clients) {
      if (client.service) continue;
      const meshed = Mesh.servicesOf(this).find((s) => s.sidecarInjected && s.namespace === client.namespace && s.name === client.name);
      if (meshed) {
        errors.push(problem(this, 'outsideClients', String(client), `is a MeshedService with a sidecar (${meshed.node.path}), which calls with mTLS`,
          'remove the declaration, or set injectSidecar: false on the service and declare it with OutsideClient.workload(...)'));
      }
    }
    // One owner per policy: an earlier MtlsMigration in the app keeps the scope, this one reports.
    const others = MeshRegistry.of(this).list<MtlsMigration>('mtls-migration');
    for (const other of others.slice(0, others.indexOf(this))) {
      for (const entry of this.entries) {
        const theirs = other.entries.find((e) => e.scope._key === entry.scope._key
          && (entry.scope.kind !== MtlsScopeKind.MESH || other.rootNamespace === this.rootNamespace));
        if (!theirs) continue;
        errors.push(problem(this, entry.scope.kind === MtlsScopeKind.MESH ? 'meshMode' : `policy for ${entry.scope}`, entry.mode,
          `duplicates the policy of ${other.node.path}: both write PeerAuthentication ${entry.scope.kind === MtlsScopeKind.MESH ? this.rootNamespace : entry.object.metadata.namespace}/${entry.object.metadata.name}, and the last one applied wins`,
          'keep one MtlsMigration per app (it owns the mesh-wide policy) and give each namespace or workload one policy in it'));
      }
    }
    return errors;
  }
}

const MTLS_MIGRATION = Symbol.for('cdk8s-mesh.MtlsMigration');

function checkMode(scope: IConstruct, prop: string, mode: MtlsMode): MtlsMode {
  return checkEnum(scope, prop, mode, MtlsMode, 'MtlsMode');
}

function checkModeReason(scope: IConstruct, prop: string, mode: MtlsMode, reason: string | undefined, what: string): void {
  if (reason !== undefined && typeof reason !== 'string') {
    fail(scope, prop, reason, 'must be a string', 'say why in a sentence');
  }
  if (mode === MtlsMode.DISABLE) {
    checkReason(scope, prop, reason, `must state why ${what} is DISABLE,`,
      'say why (e.g. "TLS is terminated by the app itself, ticket SEC-123"), or use PERMISSIVE, which still accepts plaintext',
      'DISABLE turns off encryption and peer identity');
  }
}

function reasonAnnotations(reason: string | undefined, ports: MtlsPortException[]): Record<string, string> | undefined {
  const annotations: Record<string, string> = {};
  if (reason !== undefined && reason.trim()) annotations[`${ANNOTATION_PREFIX}/reason`] = reason.trim();
  for (const p of ports) {
    if (p.reason !== undefined && p.reason.trim()) annotations[`${ANNOTATION_PREFIX}/port-${p.port}-reason`] = p.reason.trim();
  }
  return Object.keys(annotations).length ? annotations : undefined;
}

function modeWire(mode: MtlsMode): PeerAuthenticationSpecMtlsMode {
  switch (mode) {
    case MtlsMode.STRICT: return PeerAuthenticationSpecMtlsMode.STRICT;
    case MtlsMode.DISABLE: return PeerAuthenticationSpecMtlsMode.DISABLE;
    default: return PeerAuthenticationSpecMtlsMode.PERMISSIVE;
  }
}

function portWire(mode: MtlsMode): PeerAuthenticationSpecPortLevelMtlsMode {
  return mode === MtlsMode.DISABLE ? PeerAuthenticationSpecPortLevelMtlsMode.DISABLE : PeerAuthenticationSpecPortLevelMtlsMode.PERMISSIVE;
}
