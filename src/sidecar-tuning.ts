import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { checkBoolean, checkDuration, checkObject } from './private/checks';
import { fail } from './private/errors';
import { checkConcurrency, checkResources } from './private/resources';
import { cpuMillis, cpuQuantity, istioDuration, memoryQuantity } from './private/units';

/**
 * Proxy tuning for one workload's Envoy sidecar.
 */
export interface SidecarTuningProps {
  /**
   * Envoy worker threads (ProxyConfig `concurrency`).
   *
   * Each worker keeps its own upstream connection pools and memory, so connections and memory
   * grow with workers. `0` means one worker per node core: the classic cause of OOM-killed
   * sidecars on large nodes; it is refused unless `allowAllCores` is set.
   *
   * Istio leaves it unset and pilot-agent then runs one worker per core of the proxy CPU limit,
   * rounded up (`pilot/cmd/pilot-agent/config/config.go`, `ISTIO_CPU_LIMIT` in the injection
   * template): 2 at Istio's 2000m limit, the same as ours. We write it so that it stays 2 when
   * the CPU limit is raised, and so that the dependency graph's connection budget knows it.
   *
   * @default 2 - two workers serve about 1,000 requests/s at 0.2 vCPU (Istio 1.24 figures)
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#ProxyConfig
   */
  readonly concurrency?: number;

  /**
   * Allow `concurrency: 0` (one worker per core of the node).
   *
   * @default false
   */
  readonly allowAllCores?: boolean;

  /**
   * Sidecar CPU request and limit (`sidecar.istio.io/proxyCPU`, `proxyCPULimit`).
   *
   * @default - request 100m, limit 2000m: Istio's own (`values.global.proxy.resources` in
   * `manifests/charts/istio-control/istio-discovery/values.yaml`, 1.22.8 and 1.30.3); the limit
   * leaves one core per worker at the default concurrency
   */
  readonly cpu?: kplus.CpuResources;

  /**
   * Sidecar memory request and limit (`sidecar.istio.io/proxyMemory`, `proxyMemoryLimit`).
   *
   * A sidecar with no Sidecar resource scoping it (no `talksTo`) holds the config of every
   * service in the mesh, so its memory grows with the mesh, not with its own traffic.
   *
   * @default - request 128Mi, limit 1024Mi: Istio's own (`values.global.proxy.resources` in
   * `manifests/charts/istio-control/istio-discovery/values.yaml`, 1.22.8 and 1.30.3). A bounded
   * sidecar is OOM-killed predictably instead of starving the node; a lower limit kills unscoped
   * proxies of large meshes
   */
  readonly memory?: kplus.MemoryResources;

  /**
   * Start the application container only once the proxy is ready
   * (ProxyConfig `holdApplicationUntilProxyStarts`), so the app's first calls do not fail.
   * A no-op where native sidecars are on.
   *
   * @default true - Istio's default is false (`mesh/v1alpha1/proxy.proto` in istio/api), which races the app against its proxy at start-up
   */
  readonly holdApplicationUntilProxyStarts?: boolean;

  /**
   * How long the proxy keeps serving after the pod is asked to stop (ProxyConfig
   * `terminationDrainDuration`). On SIGTERM, pilot-agent drains the sidecar's *inbound*
   * listeners only (`drain_listeners?inboundonly&graceful`, `pkg/envoy/admin.go`), sleeps this
   * long, then stops Envoy (`pkg/envoy/agent.go`): until then the app's own outbound calls still
   * work. Istio's 5 s (`pkg/config/mesh/mesh.go`) cuts them off while the app may still be
   * shutting down for the rest of its grace period.
   *
   * The cost: every pod takes this long to terminate, even when the app exits at once. Ignored by
   * native sidecars (Kubernetes stops the proxy after the app) and with `exitOnZeroActiveConnections`.
   * Refused when longer than the pod's termination grace period (the kubelet kills the proxy then).
   *
   * @default - the pod's termination grace period (30 s unless the service sets `terminationGracePeriod`), so the sidecar outlives the app
   */
  readonly terminationDrainDuration?: Duration;

  /**
   * Stop the proxy as soon as it has no active connections, after a first 5 s
   * (`EXIT_ON_ZERO_ACTIVE_CONNECTIONS` and `MINIMUM_DRAIN_DURATION` in
   * `pilot/cmd/pilot-agent/options/options.go`, 1.22 to 1.30), instead of sleeping
   * `terminationDrainDuration`: pods terminate sooner. Set through ProxyConfig `proxyMetadata`,
   * which the injection template writes as the proxy's environment. The app's connections
   * through the proxy count, but a call the app starts after the proxy found none open fails;
   * the kubelet still stops everything at the end of the grace period.
   *
   * @default false - the drain tied to the grace period keeps outbound calls working for the whole shutdown
   */
  readonly exitOnZeroActiveConnections?: boolean;

  /**
   * Inject the proxy as a Kubernetes native sidecar (an init container with
   * `restartPolicy: Always`, pod annotation `sidecar.istio.io/nativeSidecar`): Kubernetes starts
   * it before the app and stops it after the app, so neither start-up nor shutdown races.
   *
   * Needs Kubernetes 1.29 or later (SidecarContainers: alpha in 1.28, beta and on from 1.29, GA in
   * 1.33); on 1.27 the pod would never start. Istio honours the annotation from 1.24
   * (`files/injection-template.yaml`; `annotation/annotations.yaml` in istio/api); 1.22 and 1.23
   * read only istiod's `ENABLE_NATIVE_SIDECARS` and ignore it (istioctl analyze: IST0108). From
   * 1.27, istiod's `ENABLE_NATIVE_SIDECARS=auto` already turns native sidecars on when every
   * node's kubelet is 1.33 or later (`pkg/kube/inject/webhook.go`); `false` opts a workload out.
   *
   * @default - not written: Istio decides (off before 1.27; on from 1.27 when every node runs Kubernetes 1.33+)
   */
  readonly nativeSidecar?: boolean;
}

/**
 * Sidecar proxy tuning, rendered to pod template annotations (`sidecar.istio.io/proxy*`)
 * and a per-workload `proxy.istio.io/config`.
 */
export class SidecarTuning {
  /**
   * The library's defaults: 2 workers, 100m/2000m CPU, 128Mi/1024Mi memory, hold the app until the
   * proxy starts, drain for the pod's termination grace period.
   */
  public static defaults(): SidecarTuning {
    return new SidecarTuning({});
  }

  /** Tuning with the given settings; anything unset keeps the library's default. */
  public static of(props: SidecarTuningProps): SidecarTuning {
    return new SidecarTuning(props);
  }

  /** Envoy worker threads. */
  public readonly concurrency: number;
  /** CPU request. */
  public readonly cpuRequest: kplus.Cpu;
  /** CPU limit. */
  public readonly cpuLimit: kplus.Cpu;
  /** Memory request. */
  public readonly memoryRequest: Size;
  /** Memory limit. */
  public readonly memoryLimit: Size;
  /** Whether the app waits for the proxy. */
  public readonly holdApplicationUntilProxyStarts: boolean;
  /** The proxy's drain on shutdown, if set (unset: the pod's termination grace period). */
  public readonly terminationDrainDuration?: Duration;
  /** Whether the proxy stops once it has no active connections. */
  public readonly exitOnZeroActiveConnections: boolean;
  /** Whether the proxy is injected as a native sidecar (unset: Istio decides). */
  public readonly nativeSidecar?: boolean;
  private readonly allowAllCores: boolean;
  private readonly props: SidecarTuningProps;

  private constructor(props: SidecarTuningProps) {
    props = props ?? {}; // jsii callers may pass null
    this.props = props;
    this.concurrency = props.concurrency ?? 2;
    this.allowAllCores = props.allowAllCores ?? false;
    this.cpuRequest = props.cpu?.request ?? kplus.Cpu.millis(100);
    this.cpuLimit = props.cpu?.limit ?? kplus.Cpu.millis(2000);
    this.memoryRequest = props.memory?.request ?? Size.mebibytes(128);
    this.memoryLimit = props.memory?.limit ?? Size.mebibytes(1024);
    this.holdApplicationUntilProxyStarts = props.holdApplicationUntilProxyStarts ?? true;
    this.terminationDrainDuration = props.terminationDrainDuration;
    this.exitOnZeroActiveConnections = props.exitOnZeroActiveConnections ?? false;
    this.nativeSidecar = props.nativeSidecar;
  }

  /**
   * Checks the tuning on behalf of the construct that uses it (errors name that construct).
   * @internal
   */
  public _check(scope: IConstruct, prop: string): void {
    checkObject(scope, prop, this.props, 'SidecarTuning.of({ concurrency: 2 })');
    for (const key of ['cpu', 'memory'] as const) {
      if (this.props[key] !== undefined) checkObject(scope, `${prop}.${key}`, this.props[key], key === 'cpu' ? '{ request: Cpu.millis(100), limit: Cpu.millis(2000) }' : '{ request: Size.mebibytes(128), limit: Size.mebibytes(1024) }');
    }
    const c = this.concurrency;
    checkBoolean(scope, `${prop}.allowAllCores`, this.allowAllCores, 'set allowAllCores: true or false');
    checkConcurrency(scope, `${prop}.concurrency`, c, this.allowAllCores);
    checkResources(scope, prop, this);
    // At least 1: checkResources above refused a CPU limit that is not positive.
    const cores = Math.ceil(cpuMillis(this.cpuLimit) / 1000);
    if (c > cores) {
      fail(scope, `${prop}.concurrency`, c, `exceeds the proxy CPU limit of ${cpuQuantity(this.cpuLimit)} (${cores} core(s)): workers would be throttled against each other`,
        `lower concurrency to ${cores} or raise cpu.limit to Cpu.units(${c})`);
    }
    checkBoolean(scope, `${prop}.holdApplicationUntilProxyStarts`, this.holdApplicationUntilProxyStarts, 'set holdApplicationUntilProxyStarts: true (the default) or false');
    checkBoolean(scope, `${prop}.exitOnZeroActiveConnections`, this.exitOnZeroActiveConnections, 'set exitOnZeroActiveConnections: true or false (the default)');
    if (this.nativeSidecar !== undefined) {
      checkBoolean(scope, `${prop}.nativeSidecar`, this.nativeSidecar, 'set nativeSidecar: true or false, or leave it unset to let Istio decide');
    }
    const drain = this.terminationDrainDuration;
    if (drain !== undefined) {
      if (!(drain instanceof Duration)) {
        fail(scope, `${prop}.terminationDrainDuration`, drain, 'must be a Duration', 'set terminationDrainDuration: Duration.seconds(...) or leave it unset');
      }
      checkDuration(scope, `${prop}.terminationDrainDuration`, drain, 'set terminationDrainDuration: Duration.seconds(...) or leave it unset');
      if (this.exitOnZeroActiveConnections) {
        fail(scope, `${prop}.terminationDrainDuration`, istioDuration(drain),
          'has no effect with exitOnZeroActiveConnections: the proxy then waits for its connections to close instead (pkg/envoy/agent.go)',
          'remove one of the two');
      }
    }
  }

  /**
   * Checks the drain against the pod's termination grace period (errors name the construct).
   * @internal
   */
  public _checkGracePeriod(scope: IConstruct, prop: string, gracePeriod: Duration): void {
    const drain = this.terminationDrainDuration;
    if (drain !== undefined && drain.toMilliseconds() > gracePeriod.toMilliseconds()) {
      fail(scope, `${prop}.terminationDrainDuration`, istioDuration(drain),
        `is longer than the pod's termination grace period (${istioDuration(gracePeriod)}): the kubelet kills the proxy before the drain ends`,
        `shorten it to ${istioDuration(gracePeriod)} or less (or leave it unset to follow the grace period), or raise terminationGracePeriod`);
    }
  }

  /**
   * Pod template annotations for the sidecar of a pod whose termination grace period is
   * `gracePeriod`. @internal
   */
  public _annotations(gracePeriod: Duration): Record<string, string> {
    return {
      'sidecar.istio.io/proxyCPU': cpuQuantity(this.cpuRequest),
      'sidecar.istio.io/proxyCPULimit': cpuQuantity(this.cpuLimit),
      'sidecar.istio.io/proxyMemory': memoryQuantity(this.memoryRequest),
      'sidecar.istio.io/proxyMemoryLimit': memoryQuantity(this.memoryLimit),
      'proxy.istio.io/config': JSON.stringify(this._proxyConfig(gracePeriod)),
      // Read by the injection template from Istio 1.24 (files/injection-template.yaml).
      ...(this.nativeSidecar === undefined ? {} : { 'sidecar.istio.io/nativeSidecar': String(this.nativeSidecar) }),
    };
  }

  /**
   * The per-workload ProxyConfig. The webhook merges it into the mesh's `defaultConfig`
   * (`pilot/pkg/model/proxy_config.go`) and pilot-agent reads it at start
   * (`pilot/cmd/pilot-agent/config/config.go`). @internal
   */
  public _proxyConfig(gracePeriod: Duration): Record<string, unknown> {
    const shutdown = this.exitOnZeroActiveConnections
      // proxyMetadata becomes the proxy container's environment (files/injection-template.yaml).
      ? { proxyMetadata: { EXIT_ON_ZERO_ACTIVE_CONNECTIONS: 'true' } }
      : { terminationDrainDuration: istioDuration(this.terminationDrainDuration ?? gracePeriod) };
    return {
      concurrency: this.concurrency,
      holdApplicationUntilProxyStarts: this.holdApplicationUntilProxyStarts,
      ...shutdown,
    };
  }
}
