import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ICallee, IMeshWorkload, UpstreamCluster, UpstreamProtocol } from './dependency';
import { DependencyGraph } from './dependency-graph';
import { ServiceEntrySpec, ServiceEntrySpecLocation, ServiceEntrySpecResolution, DestinationRuleSpec } from '../../imports/networking.istio.io';
import { IstioApiVersion } from '../istio-api-version';
import { checkBoolean, checkCount, checkEnum, checkInstance, checkObject, checkPort } from '../private/checks';
import { refuseObjectCollisions } from '../private/collisions';
import { fail, problem, show } from '../private/errors';
import { istioObject } from '../private/istio-object';
import { checkDnsLabel, checkServiceName, clusterServiceOf, isFqdnHost } from '../private/names';
import { MeshRegistry } from '../private/registry';
import { addValidationOncePerSynth } from '../private/synth-once';
import { TrafficPolicy } from '../traffic-policy';

/** Protocol of an external port, as a ServiceEntry names it. */
export enum ExternalProtocol {
  /** Plain HTTP/1.1. */
  HTTP = 'HTTP',
  /** HTTPS (TLS the application originates; the proxy passes it through). */
  HTTPS = 'HTTPS',
  /** HTTP/2 without TLS. */
  HTTP2 = 'HTTP2',
  /** gRPC. */
  GRPC = 'GRPC',
  /** TLS of any protocol, routed by SNI. */
  TLS = 'TLS',
  /** Opaque TCP (databases, caches). */
  TCP = 'TCP',
  /** MongoDB wire protocol. */
  MONGO = 'MONGO',
}

/** One port of an ExternalService. */
export interface ExternalServicePort {
  /** The port number (1-65535). */
  readonly number: number;
  /** The protocol on the port. */
  readonly protocol: ExternalProtocol;
  /**
   * The port's name in the ServiceEntry.
   *
   * @default - `<protocol>-<number>` in lowercase, e.g. `tcp-5432`
   */
  readonly name?: string;
}

/** Props for an ExternalService. */
export interface ExternalServiceProps {
  /**
   * The host callers address: a name outside the cluster (`api.stripe.com`) or a cluster
   * Service this app does not deploy (`postgres.data.svc.cluster.local`).
   */
  readonly host: string;

  /** The ports callers use (at least one). */
  readonly ports: ExternalServicePort[];

  /**
   * Write a ServiceEntry (MESH_EXTERNAL, DNS resolution) so the mesh knows the host. A
   * cluster Service is in the mesh's registry already and never gets one.
   *
   * @default - true for hosts outside the cluster; false for `*.svc.cluster.local` hosts
   */
  readonly serviceEntry?: boolean;

  /**
   * Namespace of the ServiceEntry and DestinationRule, if any; with `serviceEntry: false`, the
   * namespace of the ServiceEntry declared elsewhere (callers' Sidecars name the host as
   * `<namespace>/<host>`). For a cluster Service host, the namespace is read from the host.
   *
   * @default - the chart's namespace; with `serviceEntry: false`, any namespace (`*`)
   */
  readonly namespace?: string;

  /**
   * Upstream endpoints Envoy pools connections to (a cluster Service's pods, or the
   * addresses a DNS name resolves to). Each caller worker keeps a pool per endpoint.
   *
   * @default 1
   */
  readonly endpoints?: number;

  /**
   * Most connections the service accepts from all callers together (e.g. a database's
   * `max_connections`). Checked at synth against what this app's callers may open.
   *
   * @default - not declared: no inbound budget check
   */
  readonly maxInboundConnections?: number;

  /**
   * Connection pool and outlier detection for this app's declared callers only: each caller
   * with a sidecar gets a DestinationRule in its own namespace (`<caller>-to-<name>`),
   * `exportTo: ["."]` and a `workloadSelector` of the caller, so no other namespace and no
   * other workload is capped, and no rule is written into the host's namespace (where it would
   * apply to every client namespace without a rule of its own, and merge with the owning
   * team's). Its `maxConnections` is what each calling proxy may open per cluster (this port),
   * soft: Envoy lets each proxy exceed it by one connection per endpoint per worker.
   *
   * Istio looks a host's rules up in the calling proxy's namespace first, then the host's
   * namespace, then the root namespace (istio/istio `pilot/pkg/model/push_context.go`,
   * `destinationRule`): for the declared callers this rule replaces any rule the host's owner
   * exports, so it must carry everything they need (e.g. TLS settings).
   *
   * @default - no DestinationRule: Istio's defaults (no connection cap)
   */
  readonly trafficPolicy?: TrafficPolicy;

  /**
   * Istio API versions to write.
   *
   * @default IstioApiVersion.V1
   */
  readonly istioApiVersion?: IstioApiVersion;
}

/**
 * A service the app calls but does not deploy, declared by host: something outside the cluster
 * (with a ServiceEntry) or a cluster Service of another app. Callers name it in `talksTo`, which
 * puts it in their Sidecar's egress hosts; a declared capacity bounds what they may open together.
 */
export class ExternalService extends Construct implements ICallee {
  /** True when `x` is an ExternalService (works across copies of the library). */
  public static isExternalService(x: any): x is ExternalService {
    return x !== null && typeof x === 'object' && EXTERNAL_SERVICE in (x as object);
  }

  /** The host. */
  public readonly host: string;
  /**
   * The namespace: a cluster Service's own, or where the ServiceEntry lives.
   */
  public readonly namespace?: string;
  /** The ports. */
  public readonly ports: ExternalServicePort[];
  /** Upstream endpoints each caller worker pools connections to. */
  public readonly endpoints: number;
  /** Declared capacity, if any. */
  public readonly maxInboundConnections?: number;
  /** Whether the host is a cluster Service (`*.svc.cluster.local`). */
  public readonly inCluster: boolean;
  /**
   * The traffic policy's `maxConnections`, if any: what each declared calling proxy may open to
   * one port's cluster, soft (one connection per endpoint per worker past it).
   */
  public readonly maxConnectionsPerProxy?: number;
  /** The ServiceEntry, if written. */
  public readonly serviceEntry?: ApiObject;
  private readonly trafficPolicy?: TrafficPolicy;
  private readonly apiVersion: IstioApiVersion;
  private readonly metaName: string;
  private readonly callerRules = new Map<IMeshWorkload, ApiObject>();

  constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    Object.defineProperty(this, EXTERNAL_SERVICE, { value: true });
    props = checkObject(this, 'props', props, '{ host: "api.stripe.com", ports: [{ number: 443, protocol: ExternalProtocol.TLS }] }');
    const host = props.host;
    // istiod refuses a label over 63 characters and an all-numeric top-level label (see isFqdnHost).
    if (typeof host !== 'string' || !isFqdnHost(host)) {
      fail(this, 'host', host, 'must be a fully qualified DNS name (lowercase, with at least one dot, labels of at most 63 characters, no wildcard or IP address)',
        'use e.g. "api.stripe.com" or "postgres.data.svc.cluster.local"');
    }
    this.host = host;
    const cluster = clusterServiceOf(host);
    this.inCluster = cluster !== undefined;
    if (cluster) {
      checkServiceName(this, 'host', cluster.name);
      if (props.namespace !== undefined && props.namespace !== cluster.namespace) {
        fail(this, 'namespace', props.namespace, `contradicts the host's namespace ${show(cluster.namespace)}`, 'leave namespace unset for a cluster Service host');
      }
      this.namespace = cluster.namespace;
    } else {
      // Where the ServiceEntry lives: ours, or the one named for an entry declared elsewhere.
      const ns = props.namespace === undefined ? undefined : checkDnsLabel(this, 'namespace', props.namespace);
      this.namespace = (props.serviceEntry ?? true) ? ns ?? Chart.of(this).namespace : ns;
    }
    if (!Array.isArray(props.ports) || props.ports.length === 0) {
      fail(this, 'ports', props.ports, 'must list at least one port', 'add e.g. { number: 443, protocol: ExternalProtocol.TLS }');
    }
    // The ServiceEntry CRD takes at most 256 ports, each name once (a list map keyed by name):
    // istio 1.30.3 manifests/charts/base/files/crd-all.gen.yaml, ServiceEntry spec.ports `maxItems: 256`,
    // `x-kubernetes-list-map-keys: [name]`.
    if (props.ports.length > 256) {
      fail(this, 'ports', `${props.ports.length} ports`, 'must list at most 256 ports (the ServiceEntry CRD\'s maxItems)', 'split the host\'s ports over ExternalServices for narrower hosts, or list only the ports callers use');
    }
    const seen = new Set<number>();
    const names = new Set<string>();
    this.ports = props.ports.map((p, i) => {
      checkObject(this, `ports[${i}]`, p, '{ number: 443, protocol: ExternalProtocol.TLS }');
      checkPort(this, `ports[${i}].number`, p.number, 'set the port callers connect to');
      if (seen.has(p.number)) fail(this, `ports[${i}].number`, p.number, 'is listed twice', 'list each port once');
      seen.add(p.number);
      checkEnum(this, `ports[${i}].protocol`, p.protocol, ExternalProtocol, 'ExternalProtocol');
      const name = p.name ?? `${p.protocol.toLowerCase()}-${p.number}`;
      if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
        fail(this, `ports[${i}].name`, name, 'must be a DNS-1123 label', 'name it like "tcp-5432", or leave it unset');
      }
      if (names.has(name)) fail(this, `ports[${i}].name`, name, 'is used by another port (the ServiceEntry keys its ports by name)', `name it e.g. ${JSON.stringify(`${p.protocol.toLowerCase()}-${p.number}`)}, or leave it unset`);
      names.add(name);
      return { number: p.number, protocol: p.protocol, name };
    });
    this.endpoints = checkCount(this, 'endpoints', props.endpoints, 'set endpoints to the number of upstream hosts (pods or addresses), or leave it unset for 1') ?? 1;
    this.maxInboundConnections = checkCount(this, 'maxInboundConnections', props.maxInboundConnections,
      'set the connections the service accepts (e.g. the database\'s max_connections), or leave it unset');
    if (props.trafficPolicy !== undefined) checkInstance(this, 'trafficPolicy', props.trafficPolicy, TrafficPolicy, 'TrafficPolicy.of({ maxConnections: 100 })');
    props.trafficPolicy?._check(this, 'trafficPolicy');
    if (props.serviceEntry !== undefined) checkBoolean(this, 'serviceEntry', props.serviceEntry, 'set serviceEntry: true or false, or leave it unset');
    this.maxConnectionsPerProxy = props.trafficPolicy?.maxConnections;
    const apiVersion = checkEnum(this, 'istioApiVersion', props.istioApiVersion ?? IstioApiVersion.V1, IstioApiVersion, 'IstioApiVersion');
    const writeEntry = props.serviceEntry ?? !this.inCluster;
    if (writeEntry && this.inCluster) {
      fail(this, 'serviceEntry', true, 'is not needed for a cluster Service: it is in the mesh\'s registry already', 'leave serviceEntry unset');
    }
    // The host itself names the objects (a DNS-1123 subdomain, as Kubernetes requires of names):
    // two hosts, two names. Replacing the dots would give api.b.com and api-b.com one name.
    const metaName = cluster ? cluster.name : host;
    const metadata = { name: metaName, namespace: this.inCluster ? this.namespace : props.namespace };
    if (writeEntry) {
      this.serviceEntry = istioObject(this, 'ServiceEntry', 'networking.istio.io', 'ServiceEntry', apiVersion, metadata,
        (): ServiceEntrySpec => ({
          hosts: [this.host],
          location: ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
          resolution: ServiceEntrySpecResolution.DNS,
          ports: this.ports.map((p) => ({ number: p.number, name: p.name!, protocol: p.protocol })),
        }));
    }
    this.trafficPolicy = props.trafficPolicy;
    this.apiVersion = apiVersion;
    this.metaName = metaName;
    MeshRegistry.of(this).add('external-service', this);
    addValidationOncePerSynth(this, () => [...DependencyGraph.of(this)._problemsOf(this), ...this.ruleCollisions(), ...this.servedByTheApp()]);
    refuseObjectCollisions(this);
  }

  /**
   * A host a MeshedService of the app serves (its own, or a version's Service) is not external:
   * the ExternalService's DestinationRules would compete with the service's own for the same host
   * (Istio picks one; the service's subsets, routes and policy could be lost).
   */
  private servedByTheApp(): string[] {
    if (!this.inCluster) return [];
    const owner = MeshRegistry.of(this).workloads.find((w) => w.host === this.host || w.versionHosts.includes(this.host));
    return owner ? [problem(this, 'host', this.host, `is served by the MeshedService ${owner.node.path} of this app, not an external service`,
      `call it with talksTo(${owner.node.id}) directly, and remove this ExternalService`)] : [];
  }

  /**
   * The DestinationRules of the traffic policy, one per declared caller with a sidecar, each in
   * the caller's namespace (escape hatch: `addJsonPatch`).
   */
  public get destinationRules(): ApiObject[] {
    return [...this.callerRules.values()];
  }

  /**
   * Writes the traffic policy's DestinationRule for a new caller (called by `talksTo`). @internal
   */
  public _addCaller(caller: IMeshWorkload): void {
    const tp = this.trafficPolicy;
    if (!tp || !caller.sidecarInjected || this.callerRules.has(caller)) return;
    if (!caller.namespace) {
      fail(caller, 'namespace', caller.namespace, `must be known to call ${this.host}: its traffic policy is written as a DestinationRule in the caller's namespace`,
        'set namespace on the service or its chart');
    }
    const name = `${caller.name}-to-${this.metaName}`.slice(0, 253).replace(/-+$/, '');
    const rule = istioObject(this, `DestinationRule-${caller.node.addr}`, 'networking.istio.io', 'DestinationRule', this.apiVersion,
      { name, namespace: caller.namespace },
      (): DestinationRuleSpec => ({
        host: this.host,
        // Only the caller's namespace (exportTo "." keeps the rule private to it), and within it
        // only the caller's pods (a DestinationRule with a workloadSelector must not be exported
        // further: pkg/config/validation/validation.go validateExportTo).
        exportTo: ['.'],
        workloadSelector: { matchLabels: { ...caller.selectorLabels } },
        trafficPolicy: tp._render(),
      }));
    this.callerRules.set(caller, rule);
  }

  /**
   * Two ExternalServices of the app for one host, both with a traffic policy for the same
   * caller, would write two rules for one host and workload: Istio merges them and the first
   * top-level policy wins (pilot/pkg/model/destination_rule.go mergeDestinationRule).
   */
  private ruleCollisions(): string[] {
    if (this.callerRules.size === 0) return [];
    const out: string[] = [];
    // indexed by host once per registry change: every ExternalService's check reads the same index
    const byHost = MeshRegistry.of(this).memo('external-services-by-host', () => {
      const index = new Map<string, ExternalService[]>();
      for (const e of MeshRegistry.of(this).list<ExternalService>('external-service')) {
        if (!ExternalService.isExternalService(e)) continue;
        const list = index.get(e.host);
        if (list) list.push(e); else index.set(e.host, [e]);
      }
      return index;
    });
    for (const other of byHost.get(this.host) ?? []) {
      if (other === this) continue;
      for (const caller of this.callerRules.keys()) {
        if (other.callerRules.has(caller)) {
          out.push(problem(this, 'trafficPolicy', this.host, `is also set by ${other.node.path} for ${caller.node.path}: two DestinationRules for one host and one workload merge, and the first one's policy wins`,
            'declare the host once (one ExternalService), or give the traffic policy to one of them only'));
        }
      }
    }
    return out;
  }

  /** The port numbers callers may name in `talksTo`. */
  public get callablePorts(): number[] {
    return this.ports.map((p) => p.number);
  }

  /** Outbound clusters a proxy that sees this host receives: one per port. */
  public get outboundClusters(): number {
    return this.ports.length;
  }

  /** Endpoints over its outbound clusters: `endpoints` in each port's cluster. */
  public get outboundEndpoints(): number {
    return this.ports.length * this.endpoints;
  }

  /**
   * HTTP/1.1 for HTTP, HTTP/2 for HTTP2 and GRPC; TCP for TCP, MONGO, and TLS or HTTPS (the
   * app's own TLS, passed through by `tcp_proxy`).
   */
  public upstreamProtocolOf(port: number): UpstreamProtocol {
    const p = this.ports.find((x) => x.number === port)?.protocol;
    if (p === ExternalProtocol.HTTP) return UpstreamProtocol.HTTP1;
    if (p === ExternalProtocol.HTTP2 || p === ExternalProtocol.GRPC) return UpstreamProtocol.HTTP2;
    return UpstreamProtocol.TCP;
  }

  /** One cluster for the port (`outbound|<port>||<host>`), with `endpoints` hosts and the traffic policy's cap. */
  public upstreamClustersOf(port: number): UpstreamCluster[] {
    return [{ name: `outbound|${port}||${this.host}`, endpoints: this.endpoints, maxConnections: this.maxConnectionsPerProxy }];
  }

  /** The host, as reports and diagrams show it. */
  public get displayName(): string {
    return this.host;
  }
}

const EXTERNAL_SERVICE = Symbol.for('cdk8s-mesh.ExternalService');
