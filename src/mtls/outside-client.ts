import { IConstruct } from 'constructs';
import { MtlsScope } from './mtls-scope';
import { MeshedService } from '../meshed-service';
import { fail } from '../private/errors';
import { checkDnsLabel, isDnsSubdomain } from '../private/names';

/** Options for an {@link OutsideClient}. */
export interface OutsideClientOptions {
  /**
   * What the client calls. STRICT is refused for any scope it calls.
   *
   * @default [MtlsScope.mesh()] - unknown, so it may call any workload: every STRICT policy is refused until you narrow this
   */
  readonly calls?: MtlsScope[];
}

/**
 * A client without a sidecar, so without a mesh certificate: it calls in plaintext, and a
 * STRICT workload refuses it.
 */
export class OutsideClient {
  /** A client known by namespace and name (a CronJob, a Deployment of another team, a VM's WorkloadEntry...). */
  public static named(namespace: string, name: string, options: OutsideClientOptions = {}): OutsideClient {
    return new OutsideClient(namespace, name, undefined, options);
  }

  /** A MeshedService of the app with `injectSidecar: false`. */
  public static workload(service: MeshedService, options: OutsideClientOptions = {}): OutsideClient {
    return new OutsideClient(service?.namespace, service?.name, service, options);
  }

  /** Namespace of the client (unknown for a workload without a namespace). */
  public readonly namespace?: string;
  /** Name of the client. */
  public readonly name: string;
  /** The MeshedService, for a client declared by workload. */
  public readonly service?: MeshedService;
  /** What the client calls. */
  public readonly calls: MtlsScope[];

  private constructor(namespace: string | undefined, name: string, service: MeshedService | undefined, options: OutsideClientOptions) {
    this.namespace = namespace;
    this.name = name;
    this.service = service;
    // A plain-JavaScript caller may pass anything: keep a non-list as is, for _check to refuse clearly.
    const calls = options?.calls ?? [MtlsScope.mesh()];
    this.calls = Array.isArray(calls) ? [...calls] : calls;
  }

  /** `outside client legacy/batch-reports`. */
  public toString(): string {
    const where = this.service ? ` (${this.service.node.path}, injectSidecar: false)` : '';
    return `outside client ${this.namespace ?? '(no namespace)'}/${this.name}${where}`;
  }

  /** Throws unless the client is well formed. @internal */
  public _check(scope: IConstruct, prop: string): void {
    if (this.service !== undefined) {
      if (!MeshedService.isMeshedService(this.service)) {
        fail(scope, prop, String(this.service), 'must name a MeshedService', 'pass the MeshedService construct to OutsideClient.workload(...)');
      }
      if (this.service.sidecarInjected) {
        fail(scope, prop, this.service.node.path, 'has a sidecar, so it calls with mTLS and is not an outside client',
          'declare only workloads with injectSidecar: false, or remove the declaration');
      }
    } else {
      checkDnsLabel(scope, `${prop} namespace`, this.namespace as string);
      if (!isDnsSubdomain(this.name)) {
        fail(scope, `${prop} name`, this.name, 'must be a Kubernetes object name (lowercase letters, digits, \'-\' and \'.\')',
          'use the name of the client\'s Deployment, CronJob or WorkloadEntry');
      }
    }
    if (!Array.isArray(this.calls)) {
      fail(scope, `${prop} calls`, this.calls, 'must be a list of MtlsScope', 'write calls: [MtlsScope.namespace("shop")], or leave calls unset if unknown');
    }
    if (this.calls.length === 0) {
      fail(scope, `${prop} calls`, [], 'must name at least one scope', 'list what the client calls, or leave calls unset if unknown');
    }
    this.calls.forEach((c, i) => {
      if (!(c instanceof MtlsScope)) {
        fail(scope, `${prop} calls[${i}]`, c, 'must be an MtlsScope', 'use MtlsScope.namespace(...), MtlsScope.workload(...) or MtlsScope.mesh()');
      }
      c._check(scope, `${prop} calls[${i}]`);
    });
  }

  /** @internal */
  public get _key(): string {
    return `${this.namespace}/${this.name}`;
  }
}
