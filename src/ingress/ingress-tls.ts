import { IConstruct } from 'constructs';
import { fail } from '../private/errors';
import { isDnsSubdomain } from '../private/names';

/**
 * TLS at the ingress gateway: the certificate and key come from a Kubernetes Secret
 * (`kubernetes.io/tls`, keys `tls.crt` and `tls.key`) in the gateway's namespace, the mesh root
 * namespace (an Istio Gateway's `credentialName` names a Secret in the namespace of the gateway
 * workload; a Gateway API listener's `certificateRefs` one in the Gateway's namespace).
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
 */
export class IngressTls {
  /**
   * Terminate TLS with the certificate in a Secret (Istio Gateway `tls.mode: SIMPLE` with
   * `credentialName`; Gateway API listener `tls.mode: Terminate` with `certificateRefs`).
   *
   * @param secretName the Secret's name, in the mesh root namespace
   */
  public static fromSecret(secretName: string): IngressTls {
    return new IngressTls(secretName);
  }

  private constructor(
    /** The Secret holding the certificate and key. */
    public readonly secretName: string) {}

  /** @internal */
  public _check(scope: IConstruct, prop: string): void {
    if (typeof this.secretName !== 'string' || !isDnsSubdomain(this.secretName)) {
      fail(scope, `${prop}.secretName`, this.secretName, 'must name a Secret (a DNS-1123 subdomain): a TLS host without a credential gets no certificate',
        'pass the Secret that holds tls.crt and tls.key, e.g. IngressTls.fromSecret("shop-example-com-tls")');
    }
  }
}
