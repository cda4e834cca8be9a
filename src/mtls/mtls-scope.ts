import { IConstruct } from 'constructs';
import { MeshedService } from '../meshed-service';
import { fail, show } from '../private/errors';
import { checkDnsLabel } from '../private/names';

/**
 * How a sidecar accepts incoming connections (PeerAuthentication `mtls.mode`).
 *
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/#PeerAuthentication-MutualTLS-Mode
 */
export enum MtlsMode {
  /** Accept mutual TLS and plaintext: the safe mode while any caller has no certificate. */
  PERMISSIVE = 'PERMISSIVE',
  /** Accept mutual TLS only: every plaintext caller is refused. */
  STRICT = 'STRICT',
  /** Accept plaintext only. Needs a stated reason; not supported in ambient mode. */
  DISABLE = 'DISABLE',
}

/** What an {@link MtlsScope} covers. */
export enum MtlsScopeKind {
  /** Every workload of the mesh (the `default` policy of the root namespace). */
  MESH = 'mesh',
  /** Every workload of one namespace (the `default` policy of that namespace). */
  NAMESPACE = 'namespace',
  /** The pods of one MeshedService (a policy with a workload selector). */
  WORKLOAD = 'workload',
}

/**
 * A part of the mesh a PeerAuthentication governs, or that an outside client calls.
 */
export class MtlsScope {
  /** Every workload of the mesh. Policies use `meshMode` for it; outside clients use it for "may call anything". */
  public static mesh(): MtlsScope {
    return new MtlsScope(MtlsScopeKind.MESH);
  }

  /** Every workload of a namespace (a DNS-1123 label). */
  public static namespace(name: string): MtlsScope {
    return new MtlsScope(MtlsScopeKind.NAMESPACE, name);
  }

  /**
   * The pods of a MeshedService, every version of it: the policy selects them with the
   * service's own pod labels (`service.selectorLabels`).
   */
  public static workload(service: MeshedService): MtlsScope {
    return new MtlsScope(MtlsScopeKind.WORKLOAD, service?.namespace, service);
  }

  /** What the scope covers. */
  public readonly kind: MtlsScopeKind;
  /** The namespace of a namespace or workload scope (for a workload: its service's, when known). */
  public readonly namespaceName?: string;
  /** The service of a workload scope. */
  public readonly service?: MeshedService;

  private constructor(kind: MtlsScopeKind, namespace?: string, service?: MeshedService) {
    this.kind = kind;
    this.namespaceName = namespace;
    this.service = service;
  }

  /** `mesh`, `namespace "payments"` or `workload payments/checkout`. */
  public toString(): string {
    switch (this.kind) {
      case MtlsScopeKind.MESH: return 'the mesh';
      case MtlsScopeKind.NAMESPACE: return `namespace ${show(this.namespaceName)}`;
      default: return `workload ${this.namespaceName ?? '(no namespace)'}/${this.service?.name}`;
    }
  }

  /** Throws unless the scope is well formed. @internal */
  public _check(scope: IConstruct, prop: string): void {
    if (this.kind === MtlsScopeKind.NAMESPACE) {
      checkDnsLabel(scope, `${prop} namespace`, this.namespaceName as string);
    } else if (this.kind === MtlsScopeKind.WORKLOAD && !MeshedService.isMeshedService(this.service)) {
      fail(scope, prop, String(this.service), 'must name a MeshedService', 'pass the MeshedService construct to MtlsScope.workload(...)');
    }
  }

  /** A stable key: two scopes with the same key are the same part of the mesh. @internal */
  public get _key(): string {
    switch (this.kind) {
      case MtlsScopeKind.MESH: return 'mesh';
      case MtlsScopeKind.NAMESPACE: return `ns:${this.namespaceName}`;
      default: return `wl:${this.namespaceName}/${this.service?.name}`;
    }
  }
}
