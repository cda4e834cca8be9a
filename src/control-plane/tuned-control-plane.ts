import { ApiObject, App, Chart, Lazy, Size, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { IopValues, IstioOperatorSpec, KubernetesResources, ProxyConfig } from './istio-operator';
import { StatsInclusion } from './stats-inclusion';
import { TracingSampling } from './tracing';
import { TelemetrySpec } from '../../imports/telemetry.istio.io';
import { IstioApiVersion } from '../istio-api-version';
import { checkBoolean, checkEnum, checkInstance, checkInt, checkObject, INT32_MAX, isImageReference } from '../private/checks';
import { fail, problem } from '../private/errors';
import { ISTIO_SYSTEM } from '../private/istio-facts';
import { istioObject } from '../private/istio-object';
import { prune } from '../private/json';
import { checkDnsLabel } from '../private/names';
import { MeshRegistry } from '../private/registry';
import { checkConcurrency, checkResources, ResourceAmounts } from '../private/resources';
import { rootNamespaceOf } from '../private/root-namespace';
import { addValidationOncePerSynth } from '../private/synth-once';
import { cpuQuantity, memoryQuantity, sizeBytes } from '../private/units';

/**
 * The istioctl installation profile the IstioOperator starts from.
 *
 * @see https://istio.io/latest/docs/setup/additional-setup/config-profiles/
 */
export enum ControlPlaneProfile {
  /** istiod and an ingress gateway: Istio's recommendation for production. */
  DEFAULT = 'default',
  /** istiod only, no gateway. */
  MINIMAL = 'minimal',
  /** Everything on, autoscaling off, tiny requests, 100% tracing: for trying Istio, not for production. */
  DEMO = 'demo',
  /** The default profile plus experimental features. */
  PREVIEW = 'preview',
  /** istiod, CNI and ztunnel for the ambient data plane; no gateway. */
  AMBIENT = 'ambient',
}

/** Profiles whose ingress gateway is on unless told otherwise. */
const PROFILES_WITH_GATEWAY = new Set<ControlPlaneProfile>([ControlPlaneProfile.DEFAULT, ControlPlaneProfile.DEMO, ControlPlaneProfile.PREVIEW]);

/** How istiod pods are spread across nodes. */
export enum IstiodAntiAffinity {
  /** Prefer different nodes (`preferredDuringSchedulingIgnoredDuringExecution`): spreads, and still schedules on a small cluster. */
  PREFERRED = 'preferred',
  /** Require different nodes (`requiredDuringSchedulingIgnoredDuringExecution`): replicas beyond the node count stay Pending. */
  REQUIRED = 'required',
  /** No anti-affinity. */
  NONE = 'none',
}


/** Resources and scaling of istiod. */
export interface IstiodOptions {
  /**
   * Fewest istiod replicas, through the HorizontalPodAutoscaler Istio installs anyway
   * (`values.pilot.autoscaleMin`, with `autoscaleEnabled: true`), not `replicaCount`. Chart values,
   * not a `k8s.hpaSpec` patch: from Istio 1.28 the chart renders istiod's PodDisruptionBudget only
   * when `autoscaleMin` is above 1.
   *
   * @default 2 - one istiod is a single point of failure for config pushes and certificate signing
   */
  readonly minReplicas?: number;

  /**
   * Most istiod replicas (`values.pilot.autoscaleMax`).
   *
   * @default - 5 (Istio's), or minReplicas when larger
   */
  readonly maxReplicas?: number;

  /**
   * Spread istiod pods across nodes (`components.pilot.k8s.affinity.podAntiAffinity`, topology
   * `kubernetes.io/hostname`).
   *
   * @default IstiodAntiAffinity.PREFERRED - spreads without leaving replicas Pending on small clusters; not emitted when there can only be one replica
   */
  readonly antiAffinity?: IstiodAntiAffinity;

  /**
   * istiod pods a voluntary disruption (node drain) may take at once
   * (`components.pilot.k8s.podDisruptionBudget.maxUnavailable`, a patch on the chart's
   * PodDisruptionBudget; on Istio 1.28+ that PDB exists only with minReplicas 2 or more).
   *
   * @default 1 - one at a time at any scale; Istio's own `minAvailable: 1` lets a drain evict all but one of five
   */
  readonly pdbMaxUnavailable?: number;

  /**
   * istiod CPU request and limit.
   *
   * @default - request 500m (Istio's), no limit: a CPU limit throttles istiod and delays config pushes
   */
  readonly cpu?: kplus.CpuResources;

  /**
   * istiod memory request and limit.
   *
   * @default - request 2048Mi (Istio's), limit twice the request (4096Mi): bounded, with room for large meshes
   */
  readonly memory?: kplus.MemoryResources;
}

/** The ingress gateway (`istio-ingressgateway`). */
export interface IngressGatewayOptions {
  /**
   * Install the ingress gateway.
   *
   * @default - the profile's choice: on for DEFAULT, DEMO and PREVIEW, off for MINIMAL and AMBIENT
   */
  readonly enabled?: boolean;

  /**
   * Fewest gateway replicas (`values.gateways.istio-ingressgateway.autoscaleMin`). With 2 or
   * more, the gateway chart renders its PodDisruptionBudget (`minAvailable: 1`) on every Istio
   * version; with 1, Istio 1.28+ renders none.
   *
   * @default 2 - one gateway drops ingress traffic on every node drain
   */
  readonly minReplicas?: number;

  /**
   * Most gateway replicas (`values.gateways.istio-ingressgateway.autoscaleMax`).
   *
   * @default - 5 (Istio's), or minReplicas when larger
   */
  readonly maxReplicas?: number;

  /**
   * Gateway CPU request and limit.
   *
   * @default - Istio's (request 100m, limit 2000m); not emitted
   */
  readonly cpu?: kplus.CpuResources;

  /**
   * Gateway memory request and limit.
   *
   * @default - Istio's (request 128Mi, limit 1024Mi); not emitted
   */
  readonly memory?: kplus.MemoryResources;
}

/** Props of a TunedControlPlane. */
export interface TunedControlPlaneProps {
  /**
   * `metadata.name` of the IstioOperator.
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The istioctl profile to start from.
   *
   * @default ControlPlaneProfile.DEFAULT
   */
  readonly profile?: ControlPlaneProfile;

  /**
   * Control plane revision, for canary upgrades: istiod becomes `istiod-<revision>` and
   * namespaces opt in with the label `istio.io/rev=<revision>`.
   *
   * @default - no revision (the default revision)
   * @see https://istio.io/latest/docs/setup/upgrade/canary/
   */
  readonly revision?: string;

  /**
   * Registry of the Istio images (`spec.hub`).
   *
   * @default - the one istioctl was built with
   */
  readonly hub?: string;

  /**
   * Tag of the Istio images (`spec.tag`), e.g. `1.30.3` or `1.30.3-distroless`.
   *
   * @default - the version of istioctl
   */
  readonly tag?: string;

  /**
   * Namespace of the control plane and the mesh root namespace (where the mesh-wide Telemetry goes).
   *
   * @default 'istio-system'
   */
  readonly namespace?: string;

  /**
   * istiod scaling, spreading, disruption budget and resources.
   *
   * @default - 2 to 5 replicas, preferred anti-affinity, maxUnavailable 1, 500m/2048Mi requests, 4096Mi memory limit
   */
  readonly istiod?: IstiodOptions;

  /**
   * Envoy worker threads of every proxy (`meshConfig.defaultConfig.concurrency`).
   *
   * @default 2 - unset, Istio derives it from each proxy's CPU limit; 0 means one worker per node core
   */
  readonly concurrency?: number;

  /**
   * Allow `concurrency: 0` (one Envoy worker per node core, each with its own pools and memory).
   *
   * @default false
   */
  readonly allowAllCores?: boolean;

  /**
   * Start application containers only once their proxy is ready
   * (`meshConfig.defaultConfig.holdApplicationUntilProxyStarts`).
   *
   * @default true - Istio's false races the app against its proxy at start-up
   */
  readonly holdApplicationUntilProxyStarts?: boolean;

  /**
   * Extra Envoy stats every proxy keeps (`meshConfig.defaultConfig.proxyStatsMatcher`).
   *
   * @default - none: Istio's minimal set (each extra stat costs memory in every proxy)
   */
  readonly statsInclusion?: StatsInclusion;

  /**
   * Trace sampling: how much, and where it is configured.
   *
   * Tracing is written end to end or not at all: the provider (collector), the sampling that
   * reaches it, and the collector's host in the egress of every Sidecar the dependency graph
   * writes. Istio 1.22-1.30 install no tracer (`values.global.proxy.tracer: "none"`), so a
   * sampling rate alone would trace nothing.
   *
   * @default - no tracing written: Istio's default, which traces nothing (no tracer)
   */
  readonly tracing?: TracingSampling;

  /**
   * The ingress gateway.
   *
   * @default - the profile's choice; when on, 2 to 5 replicas
   */
  readonly ingressGateway?: IngressGatewayOptions;

  /**
   * API version of the Telemetry resource.
   *
   * @default IstioApiVersion.V1
   */
  readonly istioApiVersion?: IstioApiVersion;

  /**
   * The chart the Telemetry (Telemetry sampling path only) is written to. It is applied with
   * `kubectl apply -f` after `istioctl install`, and istioctl refuses a file holding anything
   * besides the IstioOperator, so give it a chart of its own unless the app writes one file
   * per resource.
   *
   * @default - the chart of this construct (then synthesize with `YamlOutputType.FILE_PER_RESOURCE`)
   */
  readonly telemetryChart?: Chart;
}

const DEFAULT_NAMESPACE = ISTIO_SYSTEM;
const GATEWAY_NAME = 'istio-ingressgateway';

/**
 * An Istio control plane as an `install.istio.io/v1alpha1` IstioOperator for `istioctl install -f`:
 * istiod highly available (HPA with at least 2 replicas, anti-affinity, a disruption budget,
 * bounded resources), mesh-wide proxy defaults under `meshConfig.defaultConfig`, trace sampling,
 * and the ingress gateway. Optionally a mesh-wide `Telemetry` for sampling.
 *
 * Put it in a chart of its own: istioctl refuses a file with more than one document, and the
 * Telemetry (when used) is applied with kubectl after the install.
 *
 * Warnings (a choice that works but is risky) never stop synthesis: they are listed in
 * `warnings` and printed with `console.warn` when the app is synthesized.
 */
export class TunedControlPlane extends Construct {
  /** True when `x` is a TunedControlPlane (works across copies of the library). */
  public static isTunedControlPlane(x: any): x is TunedControlPlane {
    return x !== null && typeof x === 'object' && TUNED_CONTROL_PLANE in (x as object);
  }

  /** The IstioOperator (escape hatch: `addJsonPatch`). */
  public readonly istioOperator: ApiObject;
  /** The mesh-wide Telemetry, on the Telemetry sampling path. */
  public readonly telemetry?: ApiObject;
  /** The control plane namespace (also the mesh root namespace). */
  public readonly namespace: string;
  /** The revision, if any. */
  public readonly revision?: string;
  /** The profile. */
  public readonly profile: ControlPlaneProfile;
  /** Tracing, when configured. */
  public readonly tracing?: TracingSampling;

  private readonly props: TunedControlPlaneProps;
  private readonly _warnings: string[] = [];
  private readonly istiod: Required<Pick<IstiodOptions, 'minReplicas' | 'maxReplicas' | 'pdbMaxUnavailable'>> & { antiAffinity: IstiodAntiAffinity };
  private readonly istiodResources: Resources;
  private readonly gateway?: { enabled: boolean; minReplicas: number; maxReplicas: number; resources?: Resources };
  private readonly concurrency: number;

  constructor(scope: Construct, id: string, props: TunedControlPlaneProps = {}) {
    super(scope, id);
    Object.defineProperty(this, TUNED_CONTROL_PLANE, { value: true });
    props = checkObject(this, 'props', props, '{ revision: "1-30-3" }', true);
    MeshRegistry.of(this).add('control-plane', this);
    this.props = props;
    const name = checkDnsLabel(this, props.name === undefined ? 'id' : 'name', props.name ?? id);
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? DEFAULT_NAMESPACE);
    this.profile = props.profile ?? ControlPlaneProfile.DEFAULT;
    checkEnum(this, 'profile', this.profile, ControlPlaneProfile, 'ControlPlaneProfile');
    if (props.revision !== undefined) {
      this.revision = checkDnsLabel(this, 'revision', props.revision);
      if (this.revision === 'default') {
        fail(this, 'revision', this.revision, 'is reserved: istioctl treats "default" as no revision', 'leave revision unset for the default revision, or name it after the version, e.g. "1-30-3"');
      }
      if (`istiod-${this.revision}`.length > 63) {
        fail(this, 'revision', this.revision, 'makes the istiod Service name longer than 63 characters', 'shorten the revision, e.g. "1-30-3"');
      }
    }
    checkHub(this, props.hub);
    checkTag(this, props.tag);

    if (props.allowAllCores !== undefined) checkBoolean(this, 'allowAllCores', props.allowAllCores, 'set allowAllCores: true or false (the default)');
    if (props.holdApplicationUntilProxyStarts !== undefined) {
      checkBoolean(this, 'holdApplicationUntilProxyStarts', props.holdApplicationUntilProxyStarts, 'set holdApplicationUntilProxyStarts: true (the default) or false');
    }
    checkEnum(this, 'istioApiVersion', props.istioApiVersion ?? IstioApiVersion.V1, IstioApiVersion, 'IstioApiVersion');
    if (props.telemetryChart !== undefined && !Chart.isChart(props.telemetryChart)) {
      fail(this, 'telemetryChart', props.telemetryChart, 'must be a Chart', 'pass new Chart(app, "telemetry", { namespace: "istio-system" }), or leave it unset');
    }

    // istiod
    const io = checkObject(this, 'istiod', props.istiod, '{ minReplicas: 2, maxReplicas: 5 }', true);
    if (io.cpu !== undefined) checkObject(this, 'istiod.cpu', io.cpu, '{ request: Cpu.millis(500) }');
    if (io.memory !== undefined) checkObject(this, 'istiod.memory', io.memory, '{ request: Size.mebibytes(2048) }');
    const minReplicas = checkReplicas(this, 'istiod.minReplicas', io.minReplicas ?? 2);
    const maxReplicas = checkReplicas(this, 'istiod.maxReplicas', io.maxReplicas ?? Math.max(5, minReplicas));
    if (maxReplicas < minReplicas) {
      fail(this, 'istiod.maxReplicas', maxReplicas, `must not be below minReplicas (${minReplicas})`, `raise maxReplicas to ${minReplicas} or more`);
    }
    if (minReplicas < 2) {
      this.warn(problem(this, 'istiod.minReplicas', minReplicas, 'leaves a single istiod: a single point of failure for config pushes and certificate signing (workload certificates expire after 24 hours)',
        'set istiod.minReplicas to 2 or more'));
    }
    const antiAffinity = io.antiAffinity ?? IstiodAntiAffinity.PREFERRED;
    checkEnum(this, 'istiod.antiAffinity', antiAffinity, IstiodAntiAffinity, 'IstiodAntiAffinity');
    if (maxReplicas === 1 && io.antiAffinity !== undefined && io.antiAffinity !== IstiodAntiAffinity.NONE) {
      fail(this, 'istiod.antiAffinity', io.antiAffinity, 'has no effect with a single istiod replica (maxReplicas 1): there is nothing to spread',
        'raise istiod.minReplicas and maxReplicas to 2 or more, or set antiAffinity: IstiodAntiAffinity.NONE');
    }
    const pdbMaxUnavailable = io.pdbMaxUnavailable ?? 1;
    if (!Number.isInteger(pdbMaxUnavailable) || pdbMaxUnavailable < 1) {
      fail(this, 'istiod.pdbMaxUnavailable', pdbMaxUnavailable, 'must be a whole number, 1 or more (0 blocks every node drain)', 'set pdbMaxUnavailable: 1');
    }
    if (minReplicas >= 2 && pdbMaxUnavailable >= minReplicas) {
      fail(this, 'istiod.pdbMaxUnavailable', pdbMaxUnavailable, `lets a drain evict every istiod at once (minReplicas is ${minReplicas})`,
        `set pdbMaxUnavailable below ${minReplicas}, e.g. 1`);
    }
    this.istiod = { minReplicas, maxReplicas, pdbMaxUnavailable, antiAffinity: maxReplicas === 1 ? IstiodAntiAffinity.NONE : antiAffinity };
    this.istiodResources = checkResources(this, 'istiod', {
      cpuRequest: io.cpu?.request ?? kplus.Cpu.millis(500),
      cpuLimit: io.cpu?.limit,
      memoryRequest: io.memory?.request ?? Size.mebibytes(2048),
      memoryLimit: io.memory?.limit ?? twice(io.memory?.request ?? Size.mebibytes(2048)),
    });

    // proxies
    this.concurrency = props.concurrency ?? 2;
    checkConcurrency(this, 'concurrency', this.concurrency, props.allowAllCores ?? false);
    if (props.statsInclusion !== undefined) checkInstance(this, 'statsInclusion', props.statsInclusion, StatsInclusion, 'StatsInclusion.prefixes("cluster.outbound")');
    props.statsInclusion?._check(this, 'statsInclusion');
    if (props.tracing !== undefined && !(props.tracing instanceof TracingSampling)) {
      fail(this, 'tracing', props.tracing, 'must be a TracingSampling', 'use TracingSampling.telemetry(1, TracingProvider.openTelemetry(...)), or leave tracing unset');
    }
    this.tracing = props.tracing;
    for (const w of this.tracing?._check(this, 'tracing') ?? []) this.warn(w);

    // ingress gateway
    const go = checkObject(this, 'ingressGateway', props.ingressGateway, '{ enabled: true, minReplicas: 2 }', true);
    if (go.enabled !== undefined) checkBoolean(this, 'ingressGateway.enabled', go.enabled, 'set enabled: true or false, or leave it unset for the profile\'s choice');
    if (go.cpu !== undefined) checkObject(this, 'ingressGateway.cpu', go.cpu, '{ request: Cpu.millis(100) }');
    if (go.memory !== undefined) checkObject(this, 'ingressGateway.memory', go.memory, '{ request: Size.mebibytes(128) }');
    const enabled = go.enabled ?? PROFILES_WITH_GATEWAY.has(this.profile);
    if (enabled) {
      const gmin = checkReplicas(this, 'ingressGateway.minReplicas', go.minReplicas ?? 2);
      const gmax = checkReplicas(this, 'ingressGateway.maxReplicas', go.maxReplicas ?? Math.max(5, gmin));
      if (gmax < gmin) {
        fail(this, 'ingressGateway.maxReplicas', gmax, `must not be below minReplicas (${gmin})`, `raise maxReplicas to ${gmin} or more`);
      }
      if (gmin < 2) {
        this.warn(problem(this, 'ingressGateway.minReplicas', gmin, 'leaves a single ingress gateway: ingress traffic drops whenever its node is drained',
          'set ingressGateway.minReplicas to 2 or more'));
      }
      const resources = go.cpu || go.memory ? checkResources(this, 'ingressGateway', {
        cpuRequest: go.cpu?.request, cpuLimit: go.cpu?.limit, memoryRequest: go.memory?.request, memoryLimit: go.memory?.limit,
      }) : undefined;
      this.gateway = { enabled, minReplicas: gmin, maxReplicas: gmax, resources };
    } else {
      for (const key of ['minReplicas', 'maxReplicas', 'cpu', 'memory'] as const) {
        if (go[key] !== undefined) {
          fail(this, `ingressGateway.${key}`, go[key], 'has no effect: the ingress gateway is not installed',
            `remove it, or set ingressGateway.enabled: true${go.enabled === undefined ? ` (the ${this.profile} profile has no gateway)` : ''}`);
        }
      }
      this.gateway = go.enabled === false && PROFILES_WITH_GATEWAY.has(this.profile) ? { enabled: false, minReplicas: 0, maxReplicas: 0 } : undefined;
    }

    this.istioOperator = new ApiObject(this, 'Resource', {
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      metadata: { name, namespace: this.namespace },
      spec: Lazy.any({ produce: () => this._renderOperator() }),
    });
    if (this.tracing?.viaTelemetry) {
      const [telemetryScope, telemetryId] = props.telemetryChart ? [props.telemetryChart, `${id}-Telemetry`] : [this, 'Telemetry'];
      this.telemetry = istioObject(telemetryScope, telemetryId, 'telemetry.istio.io', 'Telemetry', props.istioApiVersion ?? IstioApiVersion.V1,
        { name: 'mesh-default', namespace: this.namespace }, () => this._renderTelemetry());
    }
    let printed = false;
    addValidationOncePerSynth(this, () => {
      if (!printed) this._warnings.forEach((w) => console.warn(`[WARNING] ${w}`));
      printed = true;
      return [...this.checkOwnFile(), ...this.checkOtherControlPlanes()];
    });
  }

  /** Whether this control plane installs istioctl's ingress gateway (pods labelled `istio: ingressgateway`). @internal */
  public get _installsIngressGateway(): boolean {
    return this.gateway?.enabled === true;
  }

  /** Sidecar egress hosts of this control plane's collectors (tracing). @internal */
  public get _collectorEgressHosts(): string[] {
    const host = this.tracing?.provider?._egressHost();
    return host ? [host] : [];
  }

  /** Warnings about risky but working choices (also printed at synth). */
  public get warnings(): string[] {
    return [...this._warnings];
  }

  /** The IstioOperator spec. @internal */
  public _renderOperator(): IstioOperatorSpec {
    const props = this.props;
    const istiodLabels: Record<string, string> = { 'app': 'istiod', 'istio.io/rev': this.revision ?? 'default' };
    // Replica counts go in as chart values, not as `k8s.hpaSpec`: istioctl applies `k8s.*` only as
    // patches on manifests the chart already rendered (operator/pkg/render/postprocess.go,
    // 1.23+; operator/pkg/translate/translate.go before), and from 1.28.0 the istiod and gateway
    // charts render their PodDisruptionBudget only when `autoscaleEnabled && autoscaleMin > 1`
    // (manifests/charts/istio-control/istio-discovery/templates/poddisruptionbudget.yaml,
    // manifests/charts/gateways/istio-ingress/templates/poddisruptionbudget.yaml). The HPA
    // templates read autoscaleMin/autoscaleMax on every version 1.22-1.30.
    // The PDB patch stays: it turns the chart's `minAvailable: 1` into `maxUnavailable`
    // (postProcessPodDisruptionBudget drops minAvailable), on every version where a PDB renders.
    const pilotK8s: KubernetesResources = {
      podDisruptionBudget: { maxUnavailable: this.istiod.pdbMaxUnavailable },
      resources: renderResources(this.istiodResources),
      affinity: renderAntiAffinity(this.istiod.antiAffinity, istiodLabels),
    };
    const defaultConfig: ProxyConfig = {
      concurrency: this.concurrency,
      holdApplicationUntilProxyStarts: (props.holdApplicationUntilProxyStarts ?? true) ? true : undefined,
      proxyStatsMatcher: props.statsInclusion?._render(),
      // The legacy place carries its own tracer (ProxyConfig Tracing.zipkin, read into the proxy
      // bootstrap: pkg/bootstrap/config.go); a sampling rate without one traces nothing.
      tracing: this.tracing && !this.tracing.viaTelemetry
        ? { sampling: this.tracing.percent, zipkin: { address: this.tracing.provider!._address() } }
        : undefined,
    };
    const extensionProvider = this.tracing?.viaTelemetry ? this.tracing.provider!._extensionProvider() : undefined;
    // autoscaleEnabled is written on every profile: demo turns it off, and the charts' PDB condition needs it.
    const values: IopValues = {
      global: this.namespace !== DEFAULT_NAMESPACE ? { istioNamespace: this.namespace } : undefined,
      pilot: { autoscaleEnabled: true, autoscaleMin: this.istiod.minReplicas, autoscaleMax: this.istiod.maxReplicas },
      gateways: this.gateway?.enabled
        ? { [GATEWAY_NAME]: { autoscaleEnabled: true, autoscaleMin: this.gateway.minReplicas, autoscaleMax: this.gateway.maxReplicas } }
        : undefined,
    };
    return prune({
      profile: this.profile === ControlPlaneProfile.DEFAULT ? undefined : this.profile,
      revision: this.revision,
      hub: props.hub,
      tag: props.tag,
      meshConfig: {
        defaultConfig,
        extensionProviders: extensionProvider ? [extensionProvider] : undefined,
      },
      components: {
        pilot: { k8s: pilotK8s },
        ingressGateways: this.gateway === undefined ? undefined : [this.gateway.enabled ? {
          name: GATEWAY_NAME,
          enabled: true,
          k8s: this.gateway.resources && { resources: renderResources(this.gateway.resources) },
        } : { name: GATEWAY_NAME, enabled: false }],
      },
      values,
    }) as IstioOperatorSpec;
  }

  /** The Telemetry spec. @internal */
  public _renderTelemetry(): TelemetrySpec {
    return {
      tracing: [{
        providers: [{ name: this.tracing!.provider!.name }],
        randomSamplingPercentage: this.tracing!.percent,
      }],
    };
  }

  /** Control planes sharing a namespace must differ in revision, and only one may own the mesh-wide Telemetry. */
  private checkOtherControlPlanes(): string[] {
    const planes = MeshRegistry.of(this).list<TunedControlPlane>('control-plane');
    const earlier = planes.slice(0, planes.indexOf(this)).filter((p) => p.namespace === this.namespace);
    const errors: string[] = [];
    const sameRevision = earlier.find((p) => p.revision === this.revision);
    if (sameRevision) {
      errors.push(problem(this, 'revision', this.revision,
        `is also the revision of ${sameRevision.node.path} in namespace ${this.namespace}: both would install the same istiod`,
        'give one of them a revision of its own (e.g. "1-30-3") for a canary, or remove one'));
    }
    // The gateway Deployment is named istio-ingressgateway whatever the revision
    // (manifests/charts/gateways/istio-ingress/templates/deployment.yaml: `name: {{ $gateway.name }}`):
    // the second `istioctl install` takes over the first one's gateway.
    const otherGateway = this.gateway?.enabled ? earlier.find((p) => p.gateway?.enabled) : undefined;
    if (otherGateway) {
      errors.push(problem(this, 'ingressGateway.enabled', true,
        `installs ${GATEWAY_NAME} in ${this.namespace}, which ${otherGateway.node.path} installs too: the gateway is not per revision, and the second istioctl install takes the first one's over`,
        'for a canary upgrade, give the new revision ingressGateway: { enabled: false } (istiod only), move namespaces with the istio.io/rev label, '
        + 'and upgrade the gateway last, from one control plane (https://istio.io/latest/docs/setup/upgrade/gateways/)'));
    }
    const root = rootNamespaceOf(this);
    if (root.namespace !== this.namespace) {
      errors.push(problem(this, 'namespace', this.namespace,
        `is not the mesh root namespace ${JSON.stringify(root.namespace)} (${root.source}): istioctl makes this namespace the root namespace of the proxies this control plane serves, while the app's Sidecars, policies and gateway principals use ${JSON.stringify(root.namespace)}`,
        `install every control plane of the mesh in ${JSON.stringify(root.namespace)}, or declare the root namespace once with Mesh.declareRootNamespace(app, ${JSON.stringify(this.namespace)})`));
    }
    const provider = this.tracing?.provider;
    if (provider && provider.service === undefined && MeshRegistry.of(this).workloads.some((w) => w.sidecarInjected && w.dependencies.length > 0)) {
      errors.push(problem(this, 'tracing.provider', `TracingProvider.existing(${JSON.stringify(provider.name)})`,
        'has no collector host, and the app writes scoped Sidecars (talksTo): their proxies would not see the collector and drop every span (istio#53701)',
        `name the collector: TracingProvider.existing(${JSON.stringify(provider.name)}, "otel-collector.observability.svc.cluster.local")`));
    }
    const otherTelemetry = this.telemetry && earlier.find((p) => p.telemetry !== undefined);
    if (otherTelemetry) {
      errors.push(problem(this, 'tracing', `TracingSampling.telemetry(${this.tracing!.percent}, ...)`,
        `writes a second mesh-default Telemetry in ${this.namespace}, already written by ${otherTelemetry.node.path}: the Telemetry is mesh-wide, not per revision`,
        'keep the Telemetry path on one control plane and give the other TracingSampling.meshConfig(...)'));
    }
    return errors;
  }

  /** istioctl install -f refuses a file with more than one document: the IstioOperator needs a file of its own. */
  private checkOwnFile(): string[] {
    const app = this.node.root;
    const outputType = app instanceof App ? app.yamlOutputType : YamlOutputType.FILE_PER_CHART;
    if (outputType !== YamlOutputType.FILE_PER_CHART && outputType !== YamlOutputType.FILE_PER_APP) return [];
    const chart = Chart.of(this);
    const others = app.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c !== this.istioOperator)
      .filter((o) => outputType === YamlOutputType.FILE_PER_APP || Chart.of(o) === chart);
    if (others.length === 0) return [];
    const names = others.slice(0, 3).map((o) => `${o.kind}/${o.name}`).join(', ') + (others.length > 3 ? ', ...' : '');
    return [problem(this, 'chart', chart.node.path || chart.node.id,
      `writes the IstioOperator into one file with ${others.length} other object(s) (${names}), and istioctl install -f refuses a file with more than one document`,
      this.telemetry && !this.props.telemetryChart
        ? 'set telemetryChart to a chart of its own, or synthesize with new App({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE })'
        : 'put the TunedControlPlane in a chart of its own, or synthesize with new App({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE })')];
  }

  private warn(message: string): void {
    this._warnings.push(message);
  }
}

const TUNED_CONTROL_PLANE = Symbol.for('cdk8s-mesh.TunedControlPlane');


type Resources = ResourceAmounts;

function twice(size: Size): Size {
  if (!(size instanceof Size)) return size; // refused by checkResources, with the prop
  return Size.kibibytes(2 * sizeBytes(size) / 1024);
}

function checkReplicas(scope: IConstruct, prop: string, n: number): number {
  return checkInt(scope, prop, n, 1, INT32_MAX, `set ${prop} to 2 or more for availability`);
}


function renderResources(r: Resources): KubernetesResources['resources'] {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (r.cpuRequest) requests.cpu = cpuQuantity(r.cpuRequest);
  if (r.memoryRequest) requests.memory = memoryQuantity(r.memoryRequest);
  if (r.cpuLimit) limits.cpu = cpuQuantity(r.cpuLimit);
  if (r.memoryLimit) limits.memory = memoryQuantity(r.memoryLimit);
  return {
    requests: Object.keys(requests).length ? requests : undefined,
    limits: Object.keys(limits).length ? limits : undefined,
  };
}

function renderAntiAffinity(mode: IstiodAntiAffinity, matchLabels: Record<string, string>): KubernetesResources['affinity'] {
  const term = { labelSelector: { matchLabels }, topologyKey: 'kubernetes.io/hostname' };
  switch (mode) {
    case IstiodAntiAffinity.REQUIRED:
      return { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
    case IstiodAntiAffinity.PREFERRED:
      return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
    default:
      return undefined;
  }
}

function checkHub(scope: IConstruct, hub: string | undefined): void {
  if (hub === undefined) return;
  if (typeof hub !== 'string' || hub.trim() === '' || /\s|:\/\/|\/$|:[^/]*$/.test(hub)) {
    fail(scope, 'hub', hub, 'must be an image registry path without scheme, tag or trailing slash', 'set e.g. "docker.io/istio" or "gcr.io/istio-release"');
  }
  // The images are <hub>/pilot and <hub>/proxyv2 (manifests/charts/istio-control/istio-discovery
  // templates): the hub must make a valid image reference (repository path lowercase).
  if (!isImageReference(`${hub}/pilot`)) {
    fail(scope, 'hub', hub, 'must make a valid image reference with the image name (<hub>/pilot: registry, then a lowercase repository path)',
      'set e.g. "docker.io/istio" or "gcr.io/istio-release", with the repository path in lowercase');
  }
}

function checkTag(scope: IConstruct, tag: string | undefined): void {
  if (tag === undefined) return;
  if (typeof tag !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    fail(scope, 'tag', tag, 'must be an image tag (letters, digits, \'_\', \'.\', \'-\'; at most 128 characters)', 'set e.g. "1.30.3" or "1.30.3-distroless"');
  }
}
