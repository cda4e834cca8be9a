import { ApiObject, Chart, Duration, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { DisruptionBudget } from './disruption-budget';
import { CallerIdentity } from './graph/caller-identity';
import { Dependency, ICallee, IMeshWorkload, MeshedServiceTalksToOptions, UpstreamCluster, UpstreamProtocol } from './graph/dependency';
import { DependencyPolicy } from './graph/dependency-policy';
import { ExternalService } from './graph/external-service';
import { HeaderMatch } from './header-match';
import { IstioApiVersion } from './istio-api-version';
import { Mesh } from './mesh';
import { isHttpLike, MeshProtocol } from './mesh-protocol';
import { checkBoolean, checkCount, checkDuration, checkEnum, checkImage, checkInstance, checkInt, checkNumber, checkObject, checkPort, checkStringList, INT32_MAX } from './private/checks';
import { refuseObjectCollisions } from './private/collisions';
import { fail, problem, show } from './private/errors';
import { PROXY_UID } from './private/istio-facts';
import { istioObject } from './private/istio-object';
import { definedOnly } from './private/json';
import { checkDnsLabel, checkServiceName, isDnsSubdomain } from './private/names';
import { MeshRegistry } from './private/registry';
import { checkResources } from './private/resources';
import { addValidationOncePerSynth } from './private/synth-once';
import { istioDuration } from './private/units';
import { RetryPolicy } from './retry-policy';
import { HeaderMatchType, HeaderRoute, ServiceRouting } from './service-routing';
import { SidecarTuning } from './sidecar-tuning';
import { TopologySpread } from './topology-spread';
import { TrafficPolicy } from './traffic-policy';
import { DestinationRuleSpec, VirtualServiceSpec, VirtualServiceSpecHttp, VirtualServiceSpecHttpRoute } from '../imports/networking.istio.io';


/**
 * What one version's Deployment runs. Shared by the service's first version and `addVersion`.
 */
export interface MeshedServiceVersionOptions {
  /**
   * Pod replicas of this version.
   *
   * @default - the service's replicas (2): one replica is an outage on every node drain; two, with
   * the default disruption budget and spread, keep one pod serving through a drain
   */
  readonly replicas?: number;

  /**
   * The PodDisruptionBudget (policy/v1) of this version, written when it has 2 or more replicas.
   * One per version, selecting exactly its pods: each version is a DestinationRule subset that
   * routing sends its own share of traffic to, so each keeps its own pods up. A version with 0
   * or 1 replica gets none (a budget over one pod either blocks every drain or protects
   * nothing). It also lets drains evict pods that are not Ready
   * (`unhealthyPodEvictionPolicy: AlwaysAllow`, on by default from Kubernetes 1.27), so a
   * crash-looping pod cannot block a node drain.
   *
   * @default - the service's, or DisruptionBudget.defaults(): `maxUnavailable: 1`
   */
  readonly disruptionBudget?: DisruptionBudget;

  /**
   * How this version's pods are spread over zones and nodes (`topologySpreadConstraints` on
   * the pod template, selecting this version's pods).
   *
   * @default - the service's, or TopologySpread.defaults(): across zones and nodes, skew 1, `ScheduleAnyway`
   */
  readonly spread?: TopologySpread;

  /**
   * How long Kubernetes waits for the pod to stop before killing it
   * (`terminationGracePeriodSeconds`, whole seconds). The sidecar's drain follows it unless
   * `sidecar.terminationDrainDuration` says otherwise.
   *
   * @default - the service's, or Duration.seconds(30) (Kubernetes' default)
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * Environment variables of the application container.
   *
   * @default - the service's
   */
  readonly envVariables?: { [name: string]: kplus.EnvValue };

  /**
   * Entrypoint of the application container.
   *
   * @default - the service's, or the image's
   */
  readonly command?: string[];

  /**
   * Arguments of the application container.
   *
   * @default - the service's, or the image's
   */
  readonly args?: string[];
}

/** Options for `MeshedService.addVersion`. */
export interface MeshedServiceAddVersionOptions extends MeshedServiceVersionOptions {
  /**
   * Container image of this version.
   *
   * @default - the service's image
   */
  readonly image?: string;
}

/**
 * Props for a MeshedService.
 */
export interface MeshedServiceProps extends MeshedServiceVersionOptions {
  /** Container image (required: the application). */
  readonly image: string;

  /** The port the application container listens on. */
  readonly port: number;

  /**
   * Name of the Service, the mesh host and the prefix of every object.
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The port the Service exposes.
   *
   * @default - the container `port`
   */
  readonly servicePort?: number;

  /**
   * Application protocol: names the Service port and sets `appProtocol`, so Istio never
   * sniffs the protocol.
   *
   * @default MeshProtocol.HTTP
   */
  readonly protocol?: MeshProtocol;

  /**
   * The first (stable) version: the pod label `version` and the DestinationRule subset.
   *
   * @default 'v1'
   */
  readonly version?: string;

  /**
   * Namespace of every object.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * An existing ServiceAccount to run as. Mesh identity (SPIFFE) is per ServiceAccount, so by
   * default the service gets one of its own rather than sharing `default`.
   *
   * @default - a ServiceAccount named after the service is created
   */
  readonly serviceAccountName?: string;

  /**
   * Inject the Istio sidecar. Set false only for a workload that must stay outside the mesh;
   * mTLS checks then treat it as a plaintext client.
   *
   * @default true
   */
  readonly injectSidecar?: boolean;

  /**
   * Keep Istio's `ALLOW_ANY` on the Sidecar the dependency graph writes once this service
   * declares a dependency. The default, `REGISTRY_ONLY`, fails closed: a call to a host the
   * service did not declare with `talksTo` gets a 502 from the `BlackHoleCluster`.
   *
   * What `true` costs: a call to an undeclared host leaves the proxy through the
   * `PassthroughCluster` (istio/istio `pilot/pkg/networking/core/listener_builder.go`,
   * `buildOutboundCatchAllNetworkFiltersOnly`): plaintext, no VirtualService, no
   * DestinationRule (no connection cap, no outlier detection), no telemetry of the destination.
   * A meshed host left out of `talksTo` is "undeclared" too: under PERMISSIVE mTLS the call
   * silently works unencrypted, and the graph's budgets and policies never hear of it.
   *
   * @default false - REGISTRY_ONLY: undeclared hosts fail
   */
  readonly allowUndeclaredEgress?: boolean;

  /**
   * Sidecar proxy tuning.
   *
   * @default SidecarTuning.defaults()
   */
  readonly sidecar?: SidecarTuning;

  /**
   * Connection pool, keep-alive and outlier detection for calls to this service.
   *
   * @default TrafficPolicy.defaults()
   */
  readonly trafficPolicy?: TrafficPolicy;

  /**
   * Request timeout on every HTTP route.
   *
   * @default - none (Istio's default: requests wait as long as the caller does)
   */
  readonly timeout?: Duration;

  /**
   * Retries on every HTTP route.
   *
   * @default - Istio's default (2 attempts on connection failures and retriable codes); not emitted
   */
  readonly retries?: RetryPolicy;

  /**
   * Istio API versions to write.
   *
   * @default IstioApiVersion.V1
   */
  readonly istioApiVersion?: IstioApiVersion;

  /**
   * Resources of the application container.
   *
   * @default - cdk8s-plus defaults (CPU 1000m/1500m, memory 512Mi/2048Mi)
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Readiness probe of the application container.
   *
   * @default - none
   */
  readonly readiness?: kplus.Probe;

  /**
   * Liveness probe of the application container.
   *
   * @default - none
   */
  readonly liveness?: kplus.Probe;

  /**
   * Startup probe of the application container.
   *
   * @default - cdk8s-plus default: a TCP probe on the port
   */
  readonly startup?: kplus.Probe;

  /**
   * Security context of the application container.
   *
   * @default - cdk8s-plus defaults (non-root, read-only root filesystem, no privilege escalation)
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;

  /**
   * Most connections the service accepts from all its callers together. Checked at synth
   * against what its declared callers' proxies may open (see `talksTo`).
   *
   * @default - not declared: no inbound budget check
   */
  readonly maxInboundConnections?: number;
}

interface VersionState {
  readonly version: string;
  readonly deployment: kplus.Deployment;
  readonly disruptionBudget?: ApiObject;
  readonly labels: Record<string, string>;
  readonly replicas: number;
}

/**
 * One application in the mesh: ServiceAccount, a Deployment per version with a tuned sidecar,
 * a Service selecting every version, and exactly one DestinationRule and one VirtualService
 * for its host.
 */
export class MeshedService extends Construct implements IMeshWorkload {
  /** True when `x` is a MeshedService (works across copies of the library). */
  public static isMeshedService(x: any): x is MeshedService {
    return x !== null && typeof x === 'object' && MESHED_SERVICE in (x as object);
  }

  /** Service name and mesh host's short name. */
  public readonly name: string;
  /** Namespace of the objects, if known (set on the service or its chart). */
  public readonly namespace?: string;
  /** The host the VirtualService and DestinationRule are written for. */
  public readonly host: string;
  /** The application protocol. */
  public readonly protocol: MeshProtocol;
  /** The port the Service exposes. */
  public readonly servicePort: number;
  /** The container port. */
  public readonly port: number;
  /** The first version, the one ordinary traffic reaches unless routing says otherwise. */
  public readonly stableVersion: string;
  /** The ServiceAccount the pods run as. */
  public readonly serviceAccountName: string;
  /** Whether the pods carry a sidecar. */
  public readonly sidecarInjected: boolean;
  /** Istio API versions written. */
  public readonly istioApiVersion: IstioApiVersion;
  /** The sidecar tuning of every version. */
  public readonly sidecar: SidecarTuning;
  /** The traffic policy for calls to this service. */
  public readonly trafficPolicy: TrafficPolicy;
  /** The Kubernetes Service. */
  public readonly service: kplus.Service;
  /** The ServiceAccount (created or imported). */
  public readonly serviceAccount: kplus.IServiceAccount;
  /** The single DestinationRule of the host (escape hatch: `addJsonPatch`). */
  public readonly destinationRule: ApiObject;
  /** The single VirtualService of the host (escape hatch: `addJsonPatch`). */
  public readonly virtualService: ApiObject;
  /** Most connections the service accepts from all callers together, if declared. */
  public readonly maxInboundConnections?: number;
  /** Whether its Sidecar keeps `ALLOW_ANY` for undeclared hosts (false: `REGISTRY_ONLY`). */
  public readonly allowUndeclaredEgress: boolean;

  private readonly props: MeshedServiceProps;
  private readonly versionStates = new Map<string, VersionState>();
  /** Per-version Services and DestinationRules, once the service has two versions. */
  private readonly versionBackends = new Map<string, { service: kplus.Service; destinationRule: ApiObject }>();
  private routing?: { owner: IConstruct; routing: ServiceRouting };
  private readonly edges: Dependency[] = [];
  private readonly entries: ServiceEntryPoint[] = [];

  constructor(scope: Construct, id: string, props: MeshedServiceProps) {
    super(scope, id);
    Object.defineProperty(this, MESHED_SERVICE, { value: true });
    props = checkObject(this, 'props', props, '{ image: "ghcr.io/acme/checkout:1.4.2", port: 8080 }');
    this.props = props;
    this.name = checkServiceName(this, props.name === undefined ? 'id' : 'name', props.name ?? id);
    // The chart's namespace is written on every object too, so it must be a namespace name as
    // much as the prop (apimachinery ValidateNamespaceName: a DNS-1123 label).
    this.namespace = props.namespace === undefined ? Chart.of(this).namespace : checkDnsLabel(this, 'namespace', props.namespace);
    if (props.namespace === undefined && this.namespace !== undefined) checkDnsLabel(this, 'namespace (the chart\'s)', this.namespace);
    this.protocol = props.protocol ?? MeshProtocol.HTTP;
    checkEnum(this, 'protocol', this.protocol, MeshProtocol, 'MeshProtocol');
    this.port = checkPort(this, 'port', props.port, 'set port to the port the container listens on');
    this.servicePort = checkPort(this, 'servicePort', props.servicePort ?? props.port, 'set servicePort to the port the Service exposes');
    this.stableVersion = checkDnsLabel(this, 'version', props.version ?? 'v1');
    this.sidecarInjected = checkBoolean(this, 'injectSidecar', props.injectSidecar ?? true, 'set injectSidecar: true (the default) or false');
    this.allowUndeclaredEgress = checkBoolean(this, 'allowUndeclaredEgress', props.allowUndeclaredEgress ?? false, 'set allowUndeclaredEgress: true or false (the default)');
    this.istioApiVersion = checkEnum(this, 'istioApiVersion', props.istioApiVersion ?? IstioApiVersion.V1, IstioApiVersion, 'IstioApiVersion');
    this.sidecar = props.sidecar ?? SidecarTuning.defaults();
    checkInstance(this, 'sidecar', this.sidecar, SidecarTuning, 'SidecarTuning.of({ concurrency: 2 })');
    this.sidecar._check(this, 'sidecar');
    this.trafficPolicy = props.trafficPolicy ?? TrafficPolicy.defaults();
    checkInstance(this, 'trafficPolicy', this.trafficPolicy, TrafficPolicy, 'TrafficPolicy.of({ maxConnections: 100 })');
    this.trafficPolicy._check(this, 'trafficPolicy');
    if (props.retries !== undefined) checkInstance(this, 'retries', props.retries, RetryPolicy, 'RetryPolicy.of({ attempts: 2 })');
    props.retries?._check(this, 'retries');
    checkDuration(this, 'timeout', props.timeout, 'set timeout to Duration.seconds(...) or leave it unset');
    if ((props.timeout || props.retries) && !isHttpLike(this.protocol)) {
      fail(this, props.timeout ? 'timeout' : 'retries', this.protocol, 'applies to HTTP routes only, and the protocol is TCP', 'remove it, or set protocol to HTTP, HTTP2 or GRPC');
    }
    checkContainerOptions(this, props);
    const uid = props.securityContext?.user;
    if (uid === PROXY_UID) {
      fail(this, 'securityContext.user', uid, 'is the Istio proxy\'s UID: traffic from the app would bypass the sidecar (IST0144)', 'run the app as another UID, e.g. 1000');
    }
    this.maxInboundConnections = checkCount(this, 'maxInboundConnections', props.maxInboundConnections,
      'set the connections the service accepts from all callers together, or leave it unset');
    this.host = this.namespace ? `${this.name}.${this.namespace}.svc.cluster.local` : this.name;
    const metadata = { name: this.name, namespace: props.namespace, labels: { app: this.name } };

    if (props.serviceAccountName !== undefined) {
      checkServiceAccountName(this, props.serviceAccountName);
      this.serviceAccountName = props.serviceAccountName;
      this.serviceAccount = kplus.ServiceAccount.fromServiceAccountName(this, 'ServiceAccount', props.serviceAccountName);
    } else {
      this.serviceAccountName = this.name;
      this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata });
    }

    this.service = new kplus.Service(this, 'Service', {
      metadata,
      ports: [{ name: this.protocol, port: this.servicePort, targetPort: this.port }],
    });
    this.service.selectLabel('app', this.name);
    // The host's Service selects the primary version only (the one with the largest share), so a
    // client that does not apply the VirtualService (a pod without a sidecar, a gateway routing
    // with a VirtualService of its own, anything through kube-proxy) never reaches a version
    // beyond its share: at a canary weight of 0 or 10 it reaches the stable pods, after
    // promotion the new ones. The split itself routes to per-version Services (see addVersion).
    this.service.selectLabel('version', Lazy.any({ produce: () => this.primaryVersion }) as unknown as string);
    // cdk8s-plus has no appProtocol; the Service is ours, so we set it here (Kubernetes 1.20+).
    ApiObject.of(this.service).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', this.protocol));

    this.destinationRule = istioObject(this, 'DestinationRule', 'networking.istio.io', 'DestinationRule',
      this.istioApiVersion, metadata, () => this._renderDestinationRule());
    this.virtualService = istioObject(this, 'VirtualService', 'networking.istio.io', 'VirtualService',
      this.istioApiVersion, metadata, () => this._renderVirtualService());

    this.addVersionDeployment(this.stableVersion, props);
    MeshRegistry.of(this).add('workload', this);
    addValidationOncePerSynth(this, () => [...this.validateUniqueHost(), ...this.validateRouting()]);
    refuseObjectCollisions(this);
  }

  /**
   * Adds another Deployment of the same app behind the same Service, DestinationRule
   * subsets and VirtualService, ready for a canary. Ordinary traffic keeps going to the
   * stable version until routing (e.g. a CanaryRelease) says otherwise.
   *
   * @param version the new version label (a DNS-1123 label, unique within the service)
   * @returns the new version's Deployment
   */
  public addVersion(version: string, options: MeshedServiceAddVersionOptions = {}): kplus.Deployment {
    checkDnsLabel(this, 'version', version);
    options = checkObject(this, 'addVersion options', options, '{ image: "ghcr.io/acme/checkout:1.5.0" }', true);
    checkContainerOptions(this, options);
    return this.addVersionDeployment(version, { ...this.props, ...definedOnly(options) });
  }

  /** The request timeout on every HTTP route, if set. */
  public get timeout(): Duration | undefined {
    return this.props.timeout;
  }

  /** Pod replicas of every version together. */
  public get totalReplicas(): number {
    return [...this.versionStates.values()].reduce((n, s) => n + s.replicas, 0);
  }

  /** Upstream endpoints a caller's worker pools connections to: the pods of every version. */
  public get endpoints(): number {
    return this.totalReplicas;
  }

  /** The port callers name in `talksTo`: the Service port. */
  public get callablePorts(): number[] {
    return [this.servicePort];
  }

  /**
   * `trafficPolicy.maxConnections`: what each calling proxy may open per cluster (per port and
   * per version's subset), soft (Envoy keeps one connection per host per worker past it).
   */
  public get maxConnectionsPerProxy(): number | undefined {
    return this.trafficPolicy.maxConnections;
  }

  /**
   * Endpoints over its outbound clusters: the host's cluster holds the primary version's pods
   * (what its Service selects), and once there are two versions each version's Service is a
   * cluster of its own with its pods.
   */
  public get outboundEndpoints(): number {
    const primary = this.replicasOf(this.primaryVersion);
    return this.versionStates.size > 1 ? primary + this.totalReplicas : primary;
  }

  /** HTTP/1.1 for `MeshProtocol.HTTP`, HTTP/2 for HTTP2 and GRPC, TCP for TCP. */
  public upstreamProtocolOf(_port: number): UpstreamProtocol {
    switch (this.protocol) {
      case MeshProtocol.TCP: return UpstreamProtocol.TCP;
      case MeshProtocol.HTTP: return UpstreamProtocol.HTTP1;
      default: return UpstreamProtocol.HTTP2;
    }
  }

  /**
   * The clusters a caller's proxy uses for a port: the host's own with one version; once there
   * are two, one per version's Service (the VirtualService routes every call there), each its
   * own Envoy cluster with its own `maxConnections` (a caller of a canaried service gets the cap
   * per version). Names as istio/istio `pilot/pkg/model/service.go` `BuildSubsetKey`, with no subset.
   */
  public upstreamClustersOf(port: number): UpstreamCluster[] {
    const cap = this.trafficPolicy.maxConnections;
    return [...this.versionStates.values()].length > 1
      ? [...this.versionStates.values()].map((s) => ({ name: `outbound|${port}||${this.hostOf(s.version)}`, endpoints: s.replicas, maxConnections: cap }))
      : [{ name: `outbound|${port}||${this.host}`, endpoints: this.totalReplicas, maxConnections: cap }];
  }

  /** Outbound clusters a proxy that sees this host receives: one for the host's port, and one per version's Service once there are two. */
  public get outboundClusters(): number {
    return 1 + (this.versionStates.size > 1 ? this.versionStates.size : 0);
  }

  /** The service's name, as reports and diagrams show it. */
  public get displayName(): string {
    return this.name;
  }

  /** The versions this service deploys, in the order they were added. */
  public get versions(): string[] {
    return [...this.versionStates.keys()];
  }

  /** True when a Deployment of this service provides `version`. */
  public hasVersion(version: string): boolean {
    return this.versionStates.has(version);
  }

  /** The Deployment of a version. */
  public deploymentOf(version: string): kplus.Deployment {
    return this.state(version).deployment;
  }

  /** The PodDisruptionBudget of a version, if one is written (2 or more replicas, a budget not `none()`). */
  public disruptionBudgetOf(version: string): ApiObject | undefined {
    return this.state(version).disruptionBudget;
  }

  /** Replicas of a version's Deployment. */
  public replicasOf(version: string): number {
    return this.state(version).replicas;
  }

  /**
   * The version that ordinary traffic mostly reaches (the largest share of the routing; the
   * stable version on a tie): what the host's own Service selects, for clients that do not
   * apply the VirtualService.
   */
  public get primaryVersion(): string {
    const weights = this.currentRouting.weights;
    const top = Math.max(...weights.map((w) => w.weight));
    const leaders = weights.filter((w) => w.weight === top).map((w) => w.version);
    return leaders.includes(this.stableVersion) ? this.stableVersion : leaders[0];
  }

  /**
   * The host of a version's own Service (`<name>-<version>`), which the VirtualService routes
   * the version's share to once the service has two versions. With one version, the host itself.
   */
  public hostOf(version: string): string {
    this.state(version);
    if (this.versionStates.size < 2) return this.host;
    const name = `${this.name}-${version}`;
    return this.namespace ? `${name}.${this.namespace}.svc.cluster.local` : name;
  }

  /** Hosts the VirtualService routes to besides the host: the per-version Services (none with one version). */
  public get versionHosts(): string[] {
    return this.versionStates.size < 2 ? [] : this.versions.map((v) => this.hostOf(v));
  }

  /** A version's own Service, once the service has two versions. */
  public versionServiceOf(version: string): kplus.Service | undefined {
    this.state(version);
    return this.versionBackends.get(version)?.service;
  }

  /** The DestinationRule of a version's own Service (its traffic policy), once the service has two versions. */
  public versionDestinationRuleOf(version: string): ApiObject | undefined {
    this.state(version);
    return this.versionBackends.get(version)?.destinationRule;
  }

  /** The pod template labels of a version (what its own Service selects). */
  public podLabelsOf(version: string): Record<string, string> {
    return { ...this.state(version).labels };
  }

  /** The labels every pod of the service carries, whatever its version (the Service selector). */
  public get selectorLabels(): Record<string, string> {
    return { app: this.name };
  }

  /**
   * Sets how ordinary traffic is split between versions (used by CanaryRelease). One owner
   * at a time: a second owner is refused, because two releases would fight over one host.
   * Also refused: weights that are not whole percents summing to 100 (Istio's are relative
   * since 1.15; we keep percentages for readability), a version named twice, and header
   * routes or a mirror on a TCP service.
   *
   * @param owner the construct that owns the routing (named in errors)
   */
  public setRouting(owner: IConstruct, routing: ServiceRouting): void {
    if (this.routing && this.routing.owner !== owner) {
      fail(owner, 'service', this.node.path,
        `already has its routing set by ${this.routing.owner.node.path}: two releases on one service would fight over its single VirtualService`,
        'finish or remove the other release first, or use its steps to move on');
    }
    checkRouting(owner, this, routing);
    this.routing = { owner, routing };
  }

  /** The construct that set this service's routing, if any. */
  public get routingOwner(): IConstruct | undefined {
    return this.routing?.owner;
  }

  /** The routing in force (the stable version at 100% unless set). */
  public get currentRouting(): ServiceRouting {
    return this.routing?.routing ?? { weights: [{ version: this.stableVersion, weight: 100 }] };
  }

  /**
   * Declares that this service calls `other` (a MeshedService of the app or an ExternalService).
   * From the graph, this service's proxies get a Sidecar scoped to its dependencies, the callee
   * an AuthorizationPolicy accepting its declared callers, and both a connection budget checked
   * at synth (see DependencyGraph). Cycles are allowed.
   */
  public talksTo(other: ICallee, options: MeshedServiceTalksToOptions = {}): void {
    options = checkObject(this, 'talksTo options', options, '{ port: 8080 }', true);
    const edge = DependencyPolicy._record(this, other, options);
    const declared = checkDemand(this, other, edge.port, options);
    this.edges.push({ ...edge, ...declared });
    // An ExternalService's traffic policy applies to its declared callers only, in their namespace.
    if (ExternalService.isExternalService(other)) other._addCaller(this);
    MeshRegistry.of(this).changed(); // after the edge is in: the graph's indexes are rebuilt from it
  }

  /** The dependencies this service declared with `talksTo`, in order. */
  public get dependencies(): Dependency[] {
    return [...this.edges];
  }

  /** Identities allowed to call beyond the declared callers (`allowCallsFrom`). */
  public get allowedCallers(): CallerIdentity[] {
    return DependencyPolicy.of(this)?.allowedCallers ?? [];
  }

  /**
   * Allows callers beyond the declared ones (which are accepted from the service's own namespace):
   * callers from other namespaces, the ingress gateway, workloads of other apps.
   */
  public allowCallsFrom(...callers: CallerIdentity[]): void {
    if (callers.length === 0) {
      fail(this, 'allowCallsFrom', callers, 'needs at least one identity: without one it would write an AuthorizationPolicy that allows nobody',
        'pass e.g. CallerIdentity.of(otherService), CallerIdentity.namespace("ops") or CallerIdentity.ingressGateway(); to deny everyone, use new DefaultDeny(...)');
    }
    DependencyPolicy._ensure(this)._allow(callers);
  }

  /** Two services for one host would mean two VirtualServices and DestinationRules that Istio does not merge reliably. */
  private validateUniqueHost(): string[] {
    const twins = Mesh.servicesForHost(this, this.host).filter((s) => s !== this);
    return twins.map((t) => problem(this, 'name', this.name,
      `is also the name of ${t.node.path} in the same namespace: one host would get two VirtualServices and DestinationRules`,
      'give each MeshedService its own name, or add a version to the existing one with addVersion'));
  }

  /**
   * Every version the routing names must be deployed: checked at synth, because versions may be
   * added after the routing is set (a CanaryRelease made before `addVersion`). A route to a
   * version with no Deployment would go to a Service with no pods (503).
   */
  private validateRouting(): string[] {
    if (!this.routing) return [];
    const { owner, routing } = this.routing;
    const named: Array<[string, string]> = [
      ...routing.weights.map((w): [string, string] => ['weights', w.version]),
      ...(routing.headerRoutes ?? []).map((h, i): [string, string] => [`headerRoutes[${i}].version`, h.version]),
      ...(routing.mirrorVersion === undefined ? [] : [['mirrorVersion', routing.mirrorVersion] as [string, string]]),
    ];
    const reported = new Set<string>();
    const errors: string[] = [];
    // The owner's own prop for a version (a CanaryRelease's canaryVersion), when it has one.
    const ownProp = (owner as { _versionProp?: (v: string) => string | undefined })._versionProp;
    for (const [prop, version] of named) {
      if (this.versionStates.has(version) || reported.has(version)) continue;
      reported.add(version);
      errors.push(problem(owner, (typeof ownProp === 'function' ? ownProp.call(owner, version) : undefined) ?? prop, version, `is not deployed by any Deployment of ${this.node.path} (versions: ${this.versions.join(', ')})`,
        `add it with service.addVersion(${show(version)}, { image: ... }) or name one of the deployed versions`));
    }
    return errors;
  }

  private state(version: string): VersionState {
    const s = this.versionStates.get(version);
    if (!s) {
      fail(this, 'version', version, `is not deployed by this service (versions: ${this.versions.join(', ')})`,
        `add it with addVersion(${show(version)}, ...) first`);
    }
    return s;
  }

  private addVersionDeployment(version: string, opts: MeshedServiceProps): kplus.Deployment {
    if (this.versionStates.has(version)) {
      fail(this, 'version', version, 'is already deployed by this service', 'give the new version a label of its own, e.g. "v2"');
    }
    checkImage(this, 'image', opts.image);
    const replicas = checkInt(this, 'replicas', opts.replicas ?? 2, 0, INT32_MAX, 'set replicas: 2 (the default) or more for availability');
    const deploymentName = `${this.name}-${version}`;
    if (deploymentName.length > 63) {
      fail(this, 'version', version, `makes the Deployment name ${show(deploymentName)} longer than 63 characters`, 'shorten the service name or the version');
    }
    const gracePeriod = checkGracePeriod(this, opts.terminationGracePeriod ?? Duration.seconds(30));
    if (this.sidecarInjected) this.sidecar._checkGracePeriod(this, 'sidecar', gracePeriod);
    const budget = opts.disruptionBudget ?? DisruptionBudget.defaults();
    checkInstance(this, 'disruptionBudget', budget, DisruptionBudget, 'DisruptionBudget.maxUnavailable(1)');
    budget._check(this, 'disruptionBudget', replicas);
    const spread = opts.spread ?? TopologySpread.defaults();
    checkInstance(this, 'spread', spread, TopologySpread, 'TopologySpread.of({ ... })');
    spread._check(this, 'spread');
    const labels = { app: this.name, version };
    const metadata = { name: deploymentName, namespace: this.props.namespace, labels };
    const deployment = new kplus.Deployment(this, `Deployment-${version}`, {
      metadata,
      replicas,
      select: false,
      serviceAccount: this.serviceAccount,
      terminationGracePeriod: gracePeriod,
      podMetadata: {
        labels: { ...labels, 'sidecar.istio.io/inject': String(this.sidecarInjected) },
        annotations: this.sidecarInjected ? this.sidecar._annotations(gracePeriod) : undefined,
      },
      containers: [{
        name: this.name,
        image: opts.image,
        portNumber: this.port,
        envVariables: opts.envVariables,
        command: opts.command,
        args: opts.args,
        resources: opts.resources,
        readiness: opts.readiness,
        liveness: opts.liveness,
        startup: opts.startup,
        securityContext: opts.securityContext,
      }],
    });
    deployment.select(kplus.LabelSelector.of({ labels }));
    const constraints = spread._render(labels);
    if (constraints.length > 0) {
      // cdk8s-plus has no topologySpreadConstraints (its spread is pod anti-affinity); the Deployment is ours.
      ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', constraints));
    }
    const disruptionBudget = budget.enabled && replicas >= 2
      ? new kplus.k8s.KubePodDisruptionBudget(this, `DisruptionBudget-${version}`, {
        metadata,
        spec: budget._render(labels),
      })
      : undefined;
    this.versionStates.set(version, { version, deployment, disruptionBudget, labels, replicas });
    if (this.versionStates.size > 1) for (const v of this.versionStates.keys()) this.ensureVersionBackend(v);
    return deployment;
  }

  /**
   * A version's own Service (selecting its pods only) and DestinationRule (the service's traffic
   * policy), in the style of Flagger's primary/canary Services: the VirtualService routes each
   * version's share to its Service's host, so the host's Service can select the primary version
   * alone without breaking the split. DestinationRule subsets could not do this: a subset only
   * narrows the endpoints of the host's Service (pilot/pkg/serviceregistry/kube/controller
   * builds a host's endpoints from its Service selector), so the host's Service would have to
   * select every version, and every client that bypasses the VirtualService would spread over
   * all of them by pod count.
   */
  private ensureVersionBackend(version: string): void {
    if (this.versionBackends.has(version)) return;
    const name = `${this.name}-${version}`;
    const metadata = { name, namespace: this.props.namespace, labels: { app: this.name, version } };
    const service = new kplus.Service(this, `Service-${version}`, {
      metadata,
      ports: [{ name: this.protocol, port: this.servicePort, targetPort: this.port }],
    });
    service.selectLabel('app', this.name);
    service.selectLabel('version', version);
    ApiObject.of(service).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', this.protocol));
    const destinationRule = istioObject(this, `DestinationRule-${version}`, 'networking.istio.io', 'DestinationRule',
      this.istioApiVersion, metadata, () => ({ host: this.hostOf(version), trafficPolicy: this.trafficPolicy._render() }));
    this.versionBackends.set(version, { service, destinationRule });
  }

  /** @internal */
  public _renderDestinationRule(): DestinationRuleSpec {
    // No subsets: the versions are Services of their own (see ensureVersionBackend).
    return {
      host: this.host,
      trafficPolicy: this.trafficPolicy._render(),
    };
  }

  /** @internal */
  public _renderVirtualService(): VirtualServiceSpec {
    const routing = this.currentRouting;
    const destination = (version: string) => ({ host: this.hostOf(version) });
    const weighted: VirtualServiceSpecHttpRoute[] = routing.weights.filter((w) => w.weight > 0)
      .map((w, _i, all) => ({ destination: destination(w.version), weight: all.length > 1 ? w.weight : undefined }));
    if (!isHttpLike(this.protocol)) {
      return { hosts: [this.host], tcp: [{ route: weighted }] };
    }
    const common = {
      timeout: this.props.timeout && istioDuration(this.props.timeout),
      retries: this.props.retries?._render(),
    };
    const headerRoutes: VirtualServiceSpecHttp[] = (routing.headerRoutes ?? []).map((h) => ({
      name: `${h.version}-by-header`,
      match: [{ headers: { [h.header]: { [h.matchType]: h.value } } }],
      route: [{ destination: destination(h.version) }],
      ...common,
    }));
    const mirror = routing.mirrorVersion === undefined ? {} : {
      mirror: destination(routing.mirrorVersion),
      mirrorPercentage: { value: routing.mirrorPercent ?? 100 },
    };
    const http: VirtualServiceSpecHttp[] = [...headerRoutes, { name: 'default', route: weighted, ...common, ...mirror }];
    const gateways = this.entries.filter((e) => e.gatewayRef !== undefined);
    if (gateways.length === 0) return { hosts: [this.host], http };
    // Bound to the mesh and to each ingress Gateway: the same split, header override, timeout and
    // retries hold from the edge. Path prefixes restrict gateway traffic only (`match.gateways`
    // scopes a match to the named gateways; the mesh keeps every path).
    const refs = gateways.map((e) => e.gatewayRef!());
    const allPaths = gateways.every((e) => e.pathPrefixes.length === 1 && e.pathPrefixes[0] === '/');
    return {
      hosts: [this.host, ...gateways.flatMap((e) => e.hosts)],
      gateways: ['mesh', ...refs],
      http: allPaths ? http : http.flatMap((route) => {
        const matches = route.match ?? [{}];
        return [
          { ...route, match: matches.map((m) => ({ ...m, gateways: ['mesh'] })) },
          ...gateways.map((e, i) => ({
            ...route,
            name: `${route.name}-${e.name}`,
            match: matches.flatMap((m) => e.pathPrefixes.map((prefix) => ({ ...m, uri: { prefix }, gateways: [refs[i]] }))),
          })),
        ];
      }),
    };
  }

  /**
   * Binds the service's VirtualService to an ingress Gateway (called by ServiceIngress). Only
   * entries through an Istio Gateway (`gatewayRef`) change the VirtualService; Gateway API
   * routes are HTTPRoutes of their own. @internal
   */
  public _addEntry(entry: ServiceEntryPoint): void {
    this.entries.push(entry);
  }

  /** The ingress entries to this service (ServiceIngress), in order. @internal */
  public get _entryPoints(): ServiceEntryPoint[] {
    return [...this.entries];
  }
}

/** How traffic enters a service from outside the mesh (one ServiceIngress). @internal */
export interface ServiceEntryPoint {
  readonly owner: IConstruct;
  /** Short name, for route names. */
  readonly name: string;
  readonly hosts: string[];
  readonly pathPrefixes: string[];
  /** `<namespace>/<name>` of the Istio Gateway, resolved at synth; undefined for the Gateway API. */
  readonly gatewayRef?: () => string;
}

const MESHED_SERVICE = Symbol.for('cdk8s-mesh.MeshedService');

/** The demand a `talksTo` declares, checked against the callee port's protocol. */
function checkDemand(caller: MeshedService, callee: ICallee, port: number, o: MeshedServiceTalksToOptions) {
  const protocol = callee.upstreamProtocolOf(port);
  const connections = checkCount(caller, 'talksTo connections', o.connections, 'set the connections each replica\'s app opens to the callee (its pool size)');
  const concurrentRequests = checkCount(caller, 'talksTo concurrentRequests', o.concurrentRequests, 'set the peak requests each replica has in flight to the callee');
  const streamsPerConnection = checkCount(caller, 'talksTo streamsPerConnection', o.streamsPerConnection, 'set the concurrent streams the callee accepts per connection');
  if (connections !== undefined && protocol !== UpstreamProtocol.TCP) {
    fail(caller, 'talksTo connections', connections, `is for TCP callees, and ${callee.host} port ${port} is ${protocol === UpstreamProtocol.HTTP1 ? 'HTTP/1.1' : 'HTTP/2'}: the proxy opens connections per request, not per app connection`,
      'declare concurrentRequests (peak in-flight requests per replica) instead');
  }
  if (protocol === UpstreamProtocol.TCP && (concurrentRequests !== undefined || streamsPerConnection !== undefined)) {
    fail(caller, concurrentRequests !== undefined ? 'talksTo concurrentRequests' : 'talksTo streamsPerConnection', concurrentRequests ?? streamsPerConnection,
      `is for HTTP callees, and ${callee.host} port ${port} is TCP: the proxy opens one upstream connection per connection the app opens`,
      'declare connections (the app\'s pool size per replica) instead');
  }
  if (streamsPerConnection !== undefined && protocol === UpstreamProtocol.HTTP1) {
    fail(caller, 'talksTo streamsPerConnection', streamsPerConnection, `is for HTTP/2 and gRPC callees, and ${callee.host} port ${port} is HTTP/1.1 (one request per connection at a time)`,
      'drop streamsPerConnection; declare concurrentRequests');
  }
  return { connections, concurrentRequests, streamsPerConnection };
}

/**
 * What every contributed routing must satisfy, whoever contributes it (CanaryRelease or a
 * direct `setRouting` caller): the shape (plain JavaScript callers), whole-percent weights that
 * sum to 100, each version once, header routes that HeaderMatch accepts (Istio's header-name
 * rules, non-empty values, RE2 patterns), and no headers or mirror on TCP. That the versions are
 * deployed is checked at synth (validateRouting).
 */
function checkRouting(owner: IConstruct, service: MeshedService, routing: ServiceRouting): void {
  if (!routing || typeof routing !== 'object') {
    fail(owner, 'routing', routing, 'must be a ServiceRouting object', 'pass { weights: [{ version: "v1", weight: 100 }] }');
  }
  if (!Array.isArray(routing.weights)) {
    fail(owner, 'weights', routing.weights, 'must be a list of { version, weight }', 'pass weights: [{ version: "v1", weight: 90 }, { version: "v2", weight: 10 }]');
  }
  const weights = routing.weights;
  for (const w of weights) {
    if (!w || typeof w !== 'object' || typeof w.version !== 'string' || w.version === '') {
      fail(owner, 'weights', w, 'must each be { version, weight } with a version label', 'pass e.g. { version: "v2", weight: 90 }');
    }
  }
  const shown = weights.map((w) => `${w.version}=${w.weight}`).join(', ');
  for (const w of weights) {
    if (!Number.isInteger(w.weight) || w.weight < 0 || w.weight > 100) {
      fail(owner, 'weights', shown, `must be whole percentages from 0 to 100 (${w.version} has ${show(w.weight)})`, 'give each version a whole percentage of ordinary traffic');
    }
  }
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  if (total !== 100) {
    fail(owner, 'weights', shown || 'no weights', `must sum to 100 (they sum to ${total})`, 'give the versions shares of ordinary traffic that add up to 100');
  }
  const seen = new Set<string>();
  for (const w of weights) {
    if (seen.has(w.version)) fail(owner, 'weights', shown, `name version ${show(w.version)} twice`, 'give each version one share');
    seen.add(w.version);
  }
  if (routing.headerRoutes !== undefined && !Array.isArray(routing.headerRoutes)) {
    fail(owner, 'headerRoutes', routing.headerRoutes, 'must be a list of header routes', 'pass headerRoutes: [HeaderMatch.exact("x-canary", "true")._route("v2")] or leave it unset');
  }
  (routing.headerRoutes ?? []).forEach((h, i) => {
    const prop = `headerRoutes[${i}]`;
    if (!h || typeof h !== 'object' || typeof h.version !== 'string' || h.version === '') {
      fail(owner, prop, h, 'must be { header, value, matchType, version } naming a version', 'pass e.g. { header: "x-canary", value: "true", matchType: HeaderMatchType.EXACT, version: "v2" }');
    }
    checkEnum(owner, `${prop}.matchType`, h.matchType, HeaderMatchType, 'HeaderMatchType');
    headerMatchOf(h)._check(owner, prop);
  });
  if (routing.mirrorVersion !== undefined && (typeof routing.mirrorVersion !== 'string' || routing.mirrorVersion === '')) {
    fail(owner, 'mirrorVersion', routing.mirrorVersion, 'must name a version of the service', 'name the version that gets the shadow copy, e.g. "v2"');
  }
  if (routing.mirrorPercent !== undefined && routing.mirrorVersion === undefined) {
    fail(owner, 'mirrorPercent', routing.mirrorPercent, 'has no effect without mirrorVersion', 'set mirrorVersion, or remove mirrorPercent');
  }
  if (!isHttpLike(service.protocol)) {
    if (routing.headerRoutes?.length) {
      fail(owner, 'headerRoutes', routing.headerRoutes.map((h) => h.header), `need HTTP, and ${service.node.path} is a TCP service (TCP has no headers)`, 'drop the header routes, or set the service protocol to HTTP, HTTP2 or GRPC');
    }
    if (routing.mirrorVersion !== undefined) {
      fail(owner, 'mirrorVersion', routing.mirrorVersion, `needs HTTP, and ${service.node.path} is a TCP service (Istio mirrors HTTP routes only)`, 'drop the mirror, or set the service protocol to HTTP, HTTP2 or GRPC');
    }
  }
  if (routing.mirrorPercent !== undefined) {
    checkNumber(owner, 'mirrorPercent', routing.mirrorPercent, 0, 100, 'must be a percentage from 0 to 100', 'set the share of requests to copy, e.g. 10');
  }
}

/** The HeaderMatch a header route stands for, so CanaryRelease and setRouting check headers the same way. */
function headerMatchOf(h: HeaderRoute): HeaderMatch {
  switch (h.matchType) {
    case HeaderMatchType.PREFIX: return HeaderMatch.prefix(h.header, h.value);
    case HeaderMatchType.REGEX: return HeaderMatch.regex(h.header, h.value);
    default: return HeaderMatch.exact(h.header, h.value);
  }
}

/** terminationGracePeriodSeconds is whole seconds; 0 would kill the app and its proxy at once. */
/** Env var names the API server accepts (apimachinery validation.IsEnvVarName). */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * The container options a plain-JavaScript caller can get wrong in shape (MeshedService props and
 * addVersion options): lists that must be lists, env values that must be EnvValues, probes,
 * resources and the security context.
 */
/** The container options of MeshedService props and addVersion options. */
type ContainerOptions = MeshedServiceVersionOptions & Pick<MeshedServiceProps, 'resources' | 'readiness' | 'liveness' | 'startup' | 'securityContext'>;

function checkContainerOptions(scope: IConstruct, o: ContainerOptions): void {
  checkStringList(scope, 'command', o.command, 'write command: ["node", "server.js"]', true);
  checkStringList(scope, 'args', o.args, 'write args: ["--port", "8080"]', true);
  if (o.envVariables !== undefined) {
    checkObject(scope, 'envVariables', o.envVariables, '{ LOG_LEVEL: EnvValue.fromValue("info") }');
    for (const [name, value] of Object.entries(o.envVariables)) {
      if (!ENV_VAR_NAME.test(name)) {
        fail(scope, 'envVariables', name, 'names must be letters, digits, "-", "." and "_", not starting with a digit (Kubernetes IsEnvVarName)', 'rename the variable, e.g. LOG_LEVEL');
      }
      if (!(value instanceof kplus.EnvValue)) {
        const literal = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
        fail(scope, `envVariables.${name}`, value, 'must be an EnvValue (cdk8s-plus), not a plain value',
          literal !== undefined ? `write ${name}: EnvValue.fromValue(${JSON.stringify(literal)})` : `write ${name}: EnvValue.fromValue("...") or EnvValue.fromSecretValue(...)`);
      }
    }
  }
  for (const key of ['readiness', 'liveness', 'startup'] as const) {
    if (o[key] !== undefined) checkInstance(scope, key, o[key], kplus.Probe, 'Probe.fromHttpGet("/healthz")');
  }
  if (o.resources !== undefined) {
    const r = checkObject(scope, 'resources', o.resources, '{ cpu: { request: Cpu.millis(250) }, memory: { request: Size.mebibytes(256) } }');
    if (r.cpu !== undefined) checkObject(scope, 'resources.cpu', r.cpu, '{ request: Cpu.millis(250), limit: Cpu.units(1) }');
    if (r.memory !== undefined) checkObject(scope, 'resources.memory', r.memory, '{ request: Size.mebibytes(256), limit: Size.mebibytes(512) }');
    checkResources(scope, 'resources', { cpuRequest: r.cpu?.request, cpuLimit: r.cpu?.limit, memoryRequest: r.memory?.request, memoryLimit: r.memory?.limit });
  }
  if (o.securityContext !== undefined) {
    const sc = checkObject(scope, 'securityContext', o.securityContext, '{ user: 1000, ensureNonRoot: true }');
    if (sc.user !== undefined) checkInt(scope, 'securityContext.user', sc.user, 0, INT32_MAX, 'set user to the app\'s UID, e.g. 1000');
    if (sc.group !== undefined) checkInt(scope, 'securityContext.group', sc.group, 0, INT32_MAX, 'set group to the app\'s GID, e.g. 1000');
    for (const key of ['ensureNonRoot', 'privileged', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation'] as const) {
      if (sc[key] !== undefined) checkBoolean(scope, `securityContext.${key}`, sc[key] as boolean, `set ${key}: true or false, or leave it unset`);
    }
  }
}

function checkGracePeriod(scope: IConstruct, d: Duration): Duration {
  if (!(d instanceof Duration)) fail(scope, 'terminationGracePeriod', d, 'must be a Duration', 'set terminationGracePeriod: Duration.seconds(30), or leave it unset');
  const ms = d.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms / 1000) || ms < 1000 || ms / 1000 > INT32_MAX) {
    fail(scope, 'terminationGracePeriod', `${ms}ms`, 'must be a whole number of seconds, 1 or more (terminationGracePeriodSeconds)',
      'set terminationGracePeriod: Duration.seconds(30) (Kubernetes\' default) or the seconds your app needs to stop');
  }
  return d;
}

function checkServiceAccountName(scope: IConstruct, name: string): void {
  if (!isDnsSubdomain(name)) {
    fail(scope, 'serviceAccountName', name, 'must be a DNS-1123 subdomain', 'use the name of an existing ServiceAccount, lowercase');
  }
}
