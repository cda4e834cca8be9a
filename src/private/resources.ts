import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { INT32_MAX } from './checks';
import { fail } from './errors';
import { cpuMillis, memoryQuantity, sizeBytes } from './units';

/** CPU and memory, each side optional. @internal */
export interface ResourceAmounts {
  readonly cpuRequest?: kplus.Cpu;
  readonly cpuLimit?: kplus.Cpu;
  readonly memoryRequest?: Size;
  readonly memoryLimit?: Size;
}

/**
 * Envoy worker threads, wherever they are set (a sidecar, the mesh-wide default): a whole
 * number, and 0 (one worker per node core) only when explicitly allowed. @internal
 */
export function checkConcurrency(scope: IConstruct, prop: string, concurrency: number, allowAllCores: boolean): void {
  // ProxyConfig concurrency is an int32 (google.protobuf.Int32Value; the ProxyConfig CRD in istio 1.30.3
  // manifests/charts/base/files/crd-all.gen.yaml: `format: int32`, `minimum: 0`).
  if (!Number.isInteger(concurrency) || concurrency < 0 || concurrency > INT32_MAX) {
    fail(scope, prop, concurrency, 'must be a whole number of Envoy workers, 1 or more',
      'set concurrency: 2 (the default) or the number of cores the proxy may use');
  }
  if (concurrency === 0 && !allowAllCores) {
    fail(scope, prop, concurrency, 'of 0 starts one Envoy worker per node core, each with its own connection pools and memory (the sidecar OOM story)',
      'set concurrency to 2, or set allowAllCores: true if you really want a worker per core');
  }
}

/** Positive quantities, and no limit below its request. @internal */
export function checkResources<T extends ResourceAmounts>(scope: IConstruct, prop: string, r: T): T {
  for (const [key, value, type, example] of [
    ['cpu.request', r.cpuRequest, kplus.Cpu, 'Cpu.millis(100)'],
    ['cpu.limit', r.cpuLimit, kplus.Cpu, 'Cpu.millis(2000)'],
    ['memory.request', r.memoryRequest, Size, 'Size.mebibytes(128)'],
    ['memory.limit', r.memoryLimit, Size, 'Size.mebibytes(1024)'],
  ] as const) {
    if (value !== undefined && !(value instanceof (type as any))) {
      fail(scope, `${prop}.${key}`, value, `must be a ${type === Size ? 'Size (cdk8s)' : 'Cpu (cdk8s-plus)'}, not a plain value`, `write ${key}: ${example}, or leave it unset`);
    }
  }
  for (const [key, cpu] of [['cpu.request', r.cpuRequest], ['cpu.limit', r.cpuLimit]] as const) {
    const m = cpu && cpuMillis(cpu);
    // Kubernetes' finest CPU unit is 1m ("Kubernetes doesn't allow you to specify CPU resources
    // with a precision finer than 1m", kubernetes.io/docs/concepts/configuration/manage-resources-containers/);
    // the annotations are written in whole millicores, so 0.4m would be written as "0m".
    if (m !== undefined && m > 0 && (m < 1 || !Number.isInteger(m))) {
      fail(scope, `${prop}.${key}`, cpu!.amount, 'must be whole millicores, 1m or more (Kubernetes\' finest CPU unit is 1m)',
        `use Cpu.millis(${Math.max(1, Math.round(m))})`);
    }
  }
  const cr = r.cpuRequest && cpuMillis(r.cpuRequest);
  const cl = r.cpuLimit && cpuMillis(r.cpuLimit);
  if (cr !== undefined && !(cr > 0)) fail(scope, `${prop}.cpu.request`, r.cpuRequest!.amount, 'must be a positive CPU quantity', 'use Cpu.millis(...) with a positive amount');
  if (cl !== undefined && !(cl > 0)) fail(scope, `${prop}.cpu.limit`, r.cpuLimit!.amount, 'must be a positive CPU quantity', 'use Cpu.units(...) with a positive amount, or leave it unset');
  if (cr !== undefined && cl !== undefined && cl < cr) {
    fail(scope, `${prop}.cpu.limit`, r.cpuLimit!.amount, `must not be below the request (${r.cpuRequest!.amount})`, 'raise the limit or lower the request');
  }
  const mr = r.memoryRequest && sizeBytes(r.memoryRequest);
  const ml = r.memoryLimit && sizeBytes(r.memoryLimit);
  if (mr !== undefined && !(mr > 0)) fail(scope, `${prop}.memory.request`, memoryQuantity(r.memoryRequest!), 'must be positive', 'use Size.mebibytes(...) with a positive amount');
  if (ml !== undefined && !(ml > 0)) fail(scope, `${prop}.memory.limit`, memoryQuantity(r.memoryLimit!), 'must be positive', 'use Size.mebibytes(...) with a positive amount, or leave it unset');
  if (mr !== undefined && ml !== undefined && ml < mr) {
    fail(scope, `${prop}.memory.limit`, memoryQuantity(r.memoryLimit!), `must not be below the request (${memoryQuantity(r.memoryRequest!)})`, 'raise the limit or lower the request');
  }
  return r;
}
