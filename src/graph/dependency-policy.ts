import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CallerIdentity, principalOf } from './caller-identity';
import { Dependency, ICallee, IMeshWorkload, MeshedServiceTalksToOptions } from './dependency';
import { DependencyGraph } from './dependency-graph';
import { SidecarSpec, SidecarSpecOutboundTrafficPolicyMode } from '../../imports/networking.istio.io';
import { AuthorizationPolicySpec, AuthorizationPolicySpecAction, AuthorizationPolicySpecRulesFrom } from '../../imports/security.istio.io';
import { fail, problem } from '../private/errors';
import { istioObject } from '../private/istio-object';
import { MeshRegistry } from '../private/registry';
import { meshEgressHosts, rootNamespaceOf } from '../private/root-namespace';
import { addValidationOncePerSynth } from '../private/synth-once';

/**
 * The objects one MeshedService gets from the dependency graph, owned here (the child
 * `Dependencies` of the service), rendered lazily at synth from the whole graph:
 *
 * - `Sidecar`: once the service declares a dependency, its proxies receive config only for its
 *   dependencies and the control plane's namespace;
 * - `AuthorizationPolicy`: once the service has a declared caller or `allowCallsFrom`, only
 *   those may call it.
 *
 * Created by `talksTo` and `allowCallsFrom`; find it with `DependencyPolicy.of(service)`.
 */
export class DependencyPolicy extends Construct {
  /** The policy of a service, if the graph gave it one. */
  public static of(service: IMeshWorkload): DependencyPolicy | undefined {
    return service.node.tryFindChild(ID) as DependencyPolicy | undefined;
  }

  /**
   * Checks and records `caller.talksTo(callee)`, creating the objects it implies. @internal
   */
  public static _record(caller: IMeshWorkload, callee: ICallee, options: MeshedServiceTalksToOptions): Dependency {
    if (!callee || typeof callee !== 'object' || typeof callee.host !== 'string' || !callee.node) {
      fail(caller, 'talksTo', callee, 'must be a MeshedService or an ExternalService', 'declare a host outside the app with new ExternalService(scope, \'id\', { host, ports })');
    }
    const registry = MeshRegistry.of(caller);
    const ports = Array.isArray(callee.callablePorts) ? callee.callablePorts : [];
    const workload = registry.workloadOf(callee);
    let port = options.port;
    if (port === undefined) {
      if (ports.length !== 1) {
        fail(caller, 'talksTo port', port, `must be given: ${callee.host} has ${ports.length ? `several ports (${ports.join(', ')})` : 'no declared port'}`,
          `pass { port: ${ports[0] ?? 443} } with the port this service calls`);
      }
      port = ports[0];
    } else if (!ports.includes(port)) {
      fail(caller, 'talksTo port', port, `is not a port of ${callee.host} (ports: ${ports.join(', ') || 'none'})`, `pass one of ${ports.join(', ')}`);
    }
    if (caller.dependencies.some((d) => d.callee === callee && d.port === port)) {
      fail(caller, 'talksTo', callee.host, `is already declared on port ${port}`, 'declare each dependency once');
    }
    if (workload && (!callee.namespace || !caller.namespace)) {
      const who = !callee.namespace ? callee : caller;
      fail(who, 'namespace', who.namespace, 'must be known for talksTo: the Sidecar names hosts and the AuthorizationPolicy names callers by namespace',
        'set namespace on the service or its chart');
    }
    // Both ends get the construct (it carries the synth-time checks); the objects only where a proxy enforces them.
    const own = DependencyPolicy.ensure(caller);
    if (caller.sidecarInjected) own.ensureSidecar();
    if (workload) {
      const theirs = DependencyPolicy.ensure(workload);
      if (workload.sidecarInjected) theirs.ensureAuthorizationPolicy();
    }
    return { caller, callee, port };
  }

  /** The policy of a service, created on first use. @internal */
  public static _ensure(service: IMeshWorkload): DependencyPolicy {
    return DependencyPolicy.ensure(service);
  }

  private static ensure(service: IMeshWorkload): DependencyPolicy {
    return DependencyPolicy.of(service) ?? new DependencyPolicy(service);
  }

  /** The service the objects are for. */
  public readonly service: IMeshWorkload;
  private readonly allowed: CallerIdentity[] = [];
  private sidecarObject?: ApiObject;
  private authorizationPolicyObject?: ApiObject;

  private constructor(service: IMeshWorkload) {
    super(service, ID);
    this.service = service;
    addValidationOncePerSynth(this, () => [...this.rootNamespaceProblems(), ...DependencyGraph.of(this)._problemsOf(service)]);
  }

  /** The Sidecar resource, once the service has declared a dependency (escape hatch: `addJsonPatch`). */
  public get sidecar(): ApiObject | undefined {
    return this.sidecarObject;
  }

  /** The AuthorizationPolicy, once the service has callers (escape hatch: `addJsonPatch`). */
  public get authorizationPolicy(): ApiObject | undefined {
    return this.authorizationPolicyObject;
  }

  /** Identities allowed beyond the declared callers. */
  public get allowedCallers(): CallerIdentity[] {
    return [...this.allowed];
  }

  /** @internal */
  public _allow(callers: CallerIdentity[]): void {
    if (!this.service.sidecarInjected) {
      fail(this.service, 'allowCallsFrom', callers.map(String), 'needs a sidecar on the service: without one no AuthorizationPolicy is enforced', 'set injectSidecar: true, or drop allowCallsFrom');
    }
    for (const c of callers) {
      if (!(c instanceof CallerIdentity)) {
        fail(this.service, 'allowCallsFrom', c, 'takes CallerIdentity values', 'use CallerIdentity.of(service), .serviceAccount(ns, name), .namespace(ns) or .ingressGateway()');
      }
      if (this.allowed.some((a) => String(a) === String(c))) {
        fail(this.service, 'allowCallsFrom', String(c), 'is already allowed', 'allow each identity once');
      }
      this.allowed.push(c);
    }
    MeshRegistry.of(this).changed();
    this.ensureAuthorizationPolicy();
  }

  /**
   * Istio reads policies of the root namespace for workloads of every namespace: an
   * AuthorizationPolicy or PeerAuthentication with a selector there applies to every workload
   * whose labels match, in any namespace (pilot/pkg/model/authorization.go and
   * authentication.go look up `[rootNamespace, workloadNamespace]`).
   */
  private rootNamespaceProblems(): string[] {
    const root = rootNamespaceOf(this);
    if (this.service.namespace !== root.namespace || (!this.sidecarObject && !this.authorizationPolicyObject)) return [];
    const kinds = [this.sidecarObject && 'Sidecar', this.authorizationPolicyObject && 'AuthorizationPolicy'].filter(Boolean).join(' and ');
    return [problem(this.service, 'namespace', root.namespace,
      `is the mesh root namespace (${root.source}): the ${kinds} the dependency graph writes for this service select by label, and Istio applies a root-namespace policy to matching workloads of every namespace`,
      'run the service in an application namespace of its own')];
  }

  private metadata() {
    return { name: this.service.name, namespace: this.service.namespace, labels: { app: this.service.name } };
  }

  private ensureSidecar(): void {
    this.sidecarObject ??= istioObject(this, 'Sidecar', 'networking.istio.io', 'Sidecar', this.service.istioApiVersion,
      this.metadata(), () => this._renderSidecar());
  }

  private ensureAuthorizationPolicy(): void {
    this.authorizationPolicyObject ??= istioObject(this, 'AuthorizationPolicy', 'security.istio.io', 'AuthorizationPolicy',
      this.service.istioApiVersion, this.metadata(), () => this._renderAuthorizationPolicy());
  }

  /** @internal */
  public _renderSidecar(): SidecarSpec {
    const registry = MeshRegistry.of(this);
    const hosts = new Set<string>();
    for (const d of this.service.dependencies) {
      hosts.add(egressHost(d.callee));
      // The callee's VirtualService routes to its versions' Services: without them in egress,
      // the route points at a cluster this proxy does not have (503 NC).
      // (a workload callee's namespace is known: talksTo refuses one without)
      for (const h of registry.workloadOf(d.callee)?.versionHosts ?? []) hosts.add(`${d.callee.namespace}/${h}`);
    }
    // What the mesh itself needs comes first: the root namespace (istiod) and the collectors the
    // control plane sends telemetry to (a scoped proxy without their hosts drops spans: istio#53701).
    const mesh = meshEgressHosts(this);
    mesh.forEach((h) => hosts.delete(h));
    return {
      workloadSelector: { labels: this.service.selectorLabels },
      egress: [{ hosts: [...mesh, ...[...hosts].sort()] }],
      // Fail closed: an undeclared host gets the BlackHoleCluster, not the plaintext PassthroughCluster
      // (istio/istio pilot/pkg/networking/core/listener_builder.go, buildOutboundCatchAllNetworkFiltersOnly;
      // the Sidecar's own policy overrides the mesh's: pilot/pkg/model/sidecar.go OutboundTrafficPolicy).
      outboundTrafficPolicy: this.service.allowUndeclaredEgress ? undefined : { mode: SidecarSpecOutboundTrafficPolicyMode.REGISTRY_UNDERSCORE_ONLY },
    };
  }

  /** @internal */
  public _renderAuthorizationPolicy(): AuthorizationPolicySpec {
    const graph = DependencyGraph.of(this);
    const principals = new Set<string>();
    const namespaces = new Set<string>();
    for (const caller of graph.callersOf(this.service)) {
      // Callers from other namespaces get in only through allowCallsFrom (checked at synth).
      if (caller.sidecarInjected && caller.namespace === this.service.namespace) principals.add(principalOf(caller));
    }
    const root = rootNamespaceOf(this).namespace;
    for (const id of this.allowed) {
      const principal = id._principalIn(root);
      if (principal) principals.add(principal);
      if (id.namespaceName) namespaces.add(id.namespaceName);
    }
    const from: AuthorizationPolicySpecRulesFrom[] = [];
    if (principals.size) from.push({ source: { principals: [...principals].sort() } });
    if (namespaces.size) from.push({ source: { namespaces: [...namespaces].sort() } });
    return {
      selector: { matchLabels: this.service.selectorLabels },
      action: AuthorizationPolicySpecAction.ALLOW,
      // An ALLOW policy without rules allows nothing: the right answer when no caller qualifies.
      rules: from.length ? [{ from }] : undefined,
    };
  }
}

const ID = 'Dependencies';

/** A callee as a Sidecar egress host, `<namespace>/<fqdn>`. @internal */
export function egressHost(callee: ICallee): string {
  return `${callee.namespace ?? '*'}/${callee.host}`;
}

