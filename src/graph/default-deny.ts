import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AuthorizationPolicySpec, AuthorizationPolicySpecAction } from '../../imports/security.istio.io';
import { IstioApiVersion } from '../istio-api-version';
import { checkEnum, checkObject } from '../private/checks';
import { fail, problem } from '../private/errors';
import { istioObject } from '../private/istio-object';
import { checkDnsLabel } from '../private/names';
import { MeshRegistry } from '../private/registry';
import { rootNamespaceOf } from '../private/root-namespace';
import { addValidationOncePerSynth } from '../private/synth-once';

/** Props for DefaultDeny. */
export interface DefaultDenyProps {
  /**
   * The namespace to close. Never the control plane's root namespace (that would close the
   * whole mesh).
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Istio API version to write.
   *
   * @default IstioApiVersion.V1
   */
  readonly istioApiVersion?: IstioApiVersion;
}

/**
 * Opt-in namespace-wide default-deny: an allow-nothing AuthorizationPolicy named
 * `default-deny`, so only calls some ALLOW policy accepts get through (each MeshedService's
 * policy accepts its declared callers and `allowCallsFrom`). Services with neither are then
 * unreachable: the mesh report lists them.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export class DefaultDeny extends Construct {
  /** True when `x` is a DefaultDeny (works across copies of the library). */
  public static isDefaultDeny(x: any): x is DefaultDeny {
    return x !== null && typeof x === 'object' && DEFAULT_DENY in (x as object);
  }

  /** The namespace closed. */
  public readonly namespace: string;
  /** The allow-nothing AuthorizationPolicy (escape hatch: `addJsonPatch`). */
  public readonly authorizationPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: DefaultDenyProps = {}) {
    super(scope, id);
    Object.defineProperty(this, DEFAULT_DENY, { value: true });
    props = checkObject(this, 'props', props, '{ namespace: "shop" }', true);
    const ns = props.namespace ?? Chart.of(this).namespace;
    if (ns === undefined) {
      fail(this, 'namespace', ns, 'must be known: a default-deny policy without one would land in whatever namespace it is applied to',
        'set namespace on DefaultDeny or its chart');
    }
    this.namespace = checkDnsLabel(this, 'namespace', ns);
    // The root namespace is an app-wide fact known at synth (a TunedControlPlane may come later).
    addValidationOncePerSynth(this, () => {
      const root = rootNamespaceOf(this);
      return ns === root.namespace
        ? [problem(this, 'namespace', ns, `is the mesh root namespace (${root.source}), where an allow-nothing policy closes every namespace of the mesh`,
          'name an application namespace')]
        : [];
    });
    // `action: ALLOW` with no rules is Istio's allow-nothing policy (the same as `spec: {}`,
    // which cdk8s would drop as empty).
    this.authorizationPolicy = istioObject(this, 'Resource', 'security.istio.io', 'AuthorizationPolicy',
      checkEnum(this, 'istioApiVersion', props.istioApiVersion ?? IstioApiVersion.V1, IstioApiVersion, 'IstioApiVersion'), { name: 'default-deny', namespace: ns },
      (): AuthorizationPolicySpec => ({ action: AuthorizationPolicySpecAction.ALLOW }));
    MeshRegistry.of(this).add('default-deny', this);
  }
}

const DEFAULT_DENY = Symbol.for('cdk8s-mesh.DefaultDeny');
