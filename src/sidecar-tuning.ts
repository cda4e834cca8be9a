import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { fail } from './private/errors';
import { checkConcurrency, checkResources } from './private/resources';
import { cpuMillis, cpuQuantity, memoryQuantity } from './private/units';

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
   * @default - request 100m, limit 2000m: the limit leaves one core per worker at the default concurrency
   */
  readonly cpu?: kplus.CpuResources;

  /**
   * Sidecar memory request and limit (`sidecar.istio.io/proxyMemory`, `proxyMemoryLimit`).
   *
   * @default - request 128Mi, limit 512Mi: a bounded sidecar is evicted predictably instead of starving the node
   */
  readonly memory?: kplus.MemoryResources;

  /**
   * Start the application container only once the proxy is ready
   * (ProxyConfig `holdApplicationUntilProxyStarts`), so the app's first calls do not fail.
   * A no-op where native sidecars are on.
   *
   * @default true - Istio's default is false, which races the app against its proxy at start-up
   */
  readonly holdApplicationUntilProxyStarts?: boolean;
}

/**
 * Sidecar proxy tuning, rendered to pod template annotations (`sidecar.istio.io/proxy*`)
 * and a per-workload `proxy.istio.io/config`.
 */
export class SidecarTuning {
  /** The library's defaults: 2 workers, 100m/2000m CPU, 128Mi/512Mi memory, hold the app until the proxy starts. */
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
  private readonly allowAllCores: boolean;

  private constructor(props: SidecarTuningProps) {
    props = props ?? {}; // jsii callers may pass null
    this.concurrency = props.concurrency ?? 2;
    this.allowAllCores = props.allowAllCores ?? false;
    this.cpuRequest = props.cpu?.request ?? kplus.Cpu.millis(100);
    this.cpuLimit = props.cpu?.limit ?? kplus.Cpu.millis(2000);
    this.memoryRequest = props.memory?.request ?? Size.mebibytes(128);
    this.memoryLimit = props.memory?.limit ?? Size.mebibytes(512);
    this.holdApplicationUntilProxyStarts = props.holdApplicationUntilProxyStarts ?? true;
  }

  /**
   * Checks the tuning on behalf of the construct that uses it (errors name that construct).
   * @internal
   */
  public _check(scope: IConstruct, prop: string): void {
    const c = this.concurrency;
    checkConcurrency(scope, `${prop}.concurrency`, c, this.allowAllCores);
    checkResources(scope, prop, this);
    const cores = Math.ceil(cpuMillis(this.cpuLimit) / 1000);
    if (c > cores) {
      fail(scope, `${prop}.concurrency`, c, `exceeds the proxy CPU limit of ${cpuQuantity(this.cpuLimit)} (${cores} core(s)): workers would be throttled against each other`,
        `lower concurrency to ${Math.max(1, cores)} or raise cpu.limit to Cpu.units(${c})`);
    }
  }

  /** Pod template annotations for the sidecar's resources. @internal */
  public _annotations(): Record<string, string> {
    return {
      'sidecar.istio.io/proxyCPU': cpuQuantity(this.cpuRequest),
      'sidecar.istio.io/proxyCPULimit': cpuQuantity(this.cpuLimit),
      'sidecar.istio.io/proxyMemory': memoryQuantity(this.memoryRequest),
      'sidecar.istio.io/proxyMemoryLimit': memoryQuantity(this.memoryLimit),
      'proxy.istio.io/config': JSON.stringify(this._proxyConfig()),
    };
  }

  /** The per-workload ProxyConfig. @internal */
  public _proxyConfig(): Record<string, unknown> {
    return {
      concurrency: this.concurrency,
      holdApplicationUntilProxyStarts: this.holdApplicationUntilProxyStarts,
    };
  }
}
