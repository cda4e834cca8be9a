import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IngressTls } from './ingress-tls';
import { GatewaySpec, GatewaySpecServersTlsMode } from '../../imports/networking.istio.io';
import { CallerIdentity } from '../graph/caller-identity';
import { DependencyPolicy } from '../graph/dependency-policy';
import { IstioApiVersion } from '../istio-api-version';
import { isHttpLike } from '../mesh-protocol';
import { MeshedService } from '../meshed-service';
import { checkEnum } from '../private/checks';
import { fail, problem, show } from '../private/errors';
import { hostsOverlap } from '../private/hosts';
import { istioObject } from '../private/istio-object';
import { checkDnsLabel } from '../private/names';
import { MeshRegistry } from '../private/registry';
import { rootNamespaceOf } from '../private/root-namespace';
import { addValidationOncePerSynth, renderedJson } from '../private/synth-once';
import { istioDuration } from '../private/units';
import { HeaderMatchType } from '../service-routing';

/** Which Kubernetes API carries the entry. */
export enum IngressApi {
  /**
   * An Istio `Gateway` (networking.istio.io) for the ingress gateway istioctl installs, and the
   * service's own VirtualService bound to it: the split, the header override, timeouts and
   * retries all hold from the edge. Needs the ingress gateway of a TunedControlPlane (or one
   * installed otherwise, with the label `istio: ingressgateway`).
   */
  ISTIO_GATEWAY = 'istio-gateway',
  /**
   * A Gateway API `Gateway` (gateway.networking.k8s.io/v1, class `istio`: Istio deploys a gateway
   * for it) and an `HTTPRoute` to the service's versions, weighted like the VirtualService. The
   * standard channel has no retries: the gateway does not retry. A mirror's percent is honoured
   * from Istio 1.24; Istio 1.22 and 1.23 mirror every request through the gateway. Needs the
   * Gateway API CRDs.
   */
  GATEWAY_API = 'gateway-api',
}

/** Props of a ServiceIngress. */
export interface ServiceIngressProps {
  /** The service exposed (HTTP, HTTP/2 or gRPC). */
  readonly service: MeshedService;

  /**
   * The names clients outside the cluster use, e.g. `shop.example.com`; a leading `*.` wildcard
   * is allowed. No two entries of the app may claim overlapping hosts.
   */
  readonly hosts: string[];

  /**
   * Path prefixes that reach the service through the gateway; others get a 404 there. Calls
   * inside the mesh are not restricted.
   *
   * @default ['/'] - every path
   */
  readonly pathPrefixes?: string[];

  /**
   * Terminate TLS at the gateway with a certificate from a Secret in the mesh root namespace.
   *
   * @default - plain HTTP on port 80 only
   */
  readonly tls?: IngressTls;

  /**
   * With `tls`, answer plain HTTP on port 80 with a redirect to HTTPS (301).
   *
   * @default true when tls is set
   */
  readonly httpsRedirect?: boolean;

  /**
   * The API of the entry.
   *
   * @default IngressApi.ISTIO_GATEWAY
   */
  readonly api?: IngressApi;

  /**
   * Name of the Gateway object (in the mesh root namespace).
   *
   * @default - `<service name>-ingress`
   */
  readonly name?: string;

  /**
   * Istio API version of the Gateway (ISTIO_GATEWAY only).
   *
   * @default IstioApiVersion.V1
   */
  readonly istioApiVersion?: IstioApiVersion;
}

/** The label istioctl's ingress gateway pods carry (manifests/charts/gateways/istio-ingress/values.yaml: `istio: ingressgateway`). */
const ISTIOCTL_GATEWAY_SELECTOR = { istio: 'ingressgateway' };
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Gateway API's HTTPPathMatch rules (its CRD's CEL), which Istio's matching agrees with. */
const PATH = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/**
 * North–south entry to a MeshedService through an ingress gateway: hosts, path prefixes, TLS
 * from a Secret and an HTTP→HTTPS redirect.
 *
 * With the Istio Gateway API (the default) it writes a `Gateway` in the mesh root namespace and
 * binds the service's own single VirtualService to it (`gateways: [mesh, <root>/<name>]`), so
 * one VirtualService per host still holds, and the canary split, the header override, timeouts
 * and retries apply from the edge. With the Gateway API it writes a `Gateway` (class `istio`)
 * in the root namespace and an `HTTPRoute` in the service's namespace that routes to the same
 * per-version Services with the same weights.
 *
 * Checked at synth: a host claimed by two entries, overlapping wildcard hosts, an Istio Gateway
 * when the app's control planes install no ingress gateway, and a service whose
 * AuthorizationPolicy would refuse the gateway.
 */
export class ServiceIngress extends Construct {
  /** The service exposed. */
  public readonly service: MeshedService;
  /** The external hosts. */
  public readonly hosts: string[];
  /** Path prefixes that reach the service through the gateway. */
  public readonly pathPrefixes: string[];
  /** The API of the entry. */
  public readonly api: IngressApi;
  /** The Gateway (Istio or Gateway API), in the mesh root namespace (escape hatch: `addJsonPatch`). */
  public readonly gateway: ApiObject;
  /** The HTTPRoute to the service (Gateway API only). */
  public readonly httpRoute?: ApiObject;
  /** The HTTPRoute that redirects HTTP to HTTPS (Gateway API with TLS only). */
  public readonly redirectRoute?: ApiObject;
  /** TLS, if terminated at the gateway. */
  public readonly tls?: IngressTls;
  /** Whether plain HTTP is redirected to HTTPS. */
  public readonly httpsRedirect: boolean;
  /** Name of the Gateway object. */
  public readonly gatewayName: string;

  constructor(scope: Construct, id: string, props: ServiceIngressProps) {
    super(scope, id);
    if (!props || typeof props !== 'object') {
      fail(this, 'props', props, 'must be a ServiceIngressProps object', 'pass { service, hosts: ["shop.example.com"] }');
    }
    const service = props.service;
    if (!MeshedService.isMeshedService(service)) {
      fail(this, 'service', service, 'must be a MeshedService', 'pass the MeshedService to expose');
    }
    if (!isHttpLike(service.protocol)) {
      fail(this, 'service', service.node.path, `speaks ${service.protocol}, and an HTTP ingress needs HTTP, HTTP2 or gRPC`,
        'expose TCP services with a LoadBalancer Service or a TCP Gateway of your own');
    }
    if (!service.namespace) {
      fail(this, 'service', service.node.path, 'has no known namespace: the gateway\'s route must name it', 'set namespace on the service or its chart');
    }
    this.service = service;
    this.api = props.api ?? IngressApi.ISTIO_GATEWAY;
    checkEnum(this, 'api', this.api, IngressApi, 'IngressApi');
    this.hosts = checkHosts(this, props.hosts);
    const wildcard = this.hosts.find((h) => h.startsWith('*.'));
    if (wildcard && this.api === IngressApi.ISTIO_GATEWAY) {
      // The service's VirtualService is bound to the mesh too: a wildcard there would route every
      // sidecar's plain-HTTP calls to any matching host to this service.
      fail(this, 'hosts', wildcard, 'is a wildcard, and through an Istio Gateway the service\'s own VirtualService (bound to the mesh as well) would capture every sidecar\'s calls to matching hosts',
        'name each host, or use api: IngressApi.GATEWAY_API, whose HTTPRoute applies at the gateway only');
    }
    this.pathPrefixes = checkPrefixes(this, props.pathPrefixes ?? ['/']);
    if (props.tls !== undefined && !(props.tls instanceof IngressTls)) {
      fail(this, 'tls', props.tls, 'must be an IngressTls', 'use IngressTls.fromSecret("shop-example-com-tls")');
    }
    props.tls?._check(this, 'tls');
    this.tls = props.tls;
    if (props.httpsRedirect !== undefined && typeof props.httpsRedirect !== 'boolean') {
      fail(this, 'httpsRedirect', props.httpsRedirect, 'must be true or false', 'leave it unset (true with tls)');
    }
    if (props.httpsRedirect === true && !this.tls) {
      fail(this, 'httpsRedirect', true, 'needs tls: there is no HTTPS to redirect to', 'set tls: IngressTls.fromSecret(...), or remove httpsRedirect');
    }
    this.httpsRedirect = this.tls !== undefined && (props.httpsRedirect ?? true);
    this.gatewayName = checkDnsLabel(this, 'name', props.name ?? `${service.name}-ingress`);
    const root = () => rootNamespaceOf(this).namespace;
    // Read at synth: the control plane that decides the root namespace may come later.
    const rootNs = Lazy.any({ produce: root }) as unknown as string;

    const istioApiVersion = checkEnum(this, 'istioApiVersion', props.istioApiVersion ?? IstioApiVersion.V1, IstioApiVersion, 'IstioApiVersion');
    if (this.api === IngressApi.ISTIO_GATEWAY) {
      this.gateway = istioObject(this, 'Gateway', 'networking.istio.io', 'Gateway', istioApiVersion,
        { name: this.gatewayName, namespace: rootNs }, () => this.renderIstioGateway());
      service._addEntry({ owner: this, name: this.gatewayName, hosts: this.hosts, pathPrefixes: this.pathPrefixes, gatewayRef: () => `${root()}/${this.gatewayName}` });
    } else {
      this.gateway = new ApiObject(this, 'Gateway', {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: this.gatewayName, namespace: rootNs },
        spec: Lazy.any({ produce: () => this.renderKubeGateway() }),
      });
      this.httpRoute = new ApiObject(this, 'HTTPRoute', {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: `${service.name}-ingress`, namespace: service.namespace },
        spec: Lazy.any({ produce: () => this.renderHttpRoute() }),
      });
      if (this.httpsRedirect) {
        this.redirectRoute = new ApiObject(this, 'RedirectRoute', {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: `${service.name}-ingress-redirect`, namespace: service.namespace },
          spec: Lazy.any({
            produce: () => ({
              parentRefs: [{ name: this.gatewayName, namespace: root(), sectionName: 'http' }],
              hostnames: this.hosts,
              rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
            }),
          }),
        });
      }
      service._addEntry({ owner: this, name: this.gatewayName, hosts: this.hosts, pathPrefixes: this.pathPrefixes });
    }
    MeshRegistry.of(this).add('ingress', this);
    addValidationOncePerSynth(this, () => this.validateApp());
  }

  /** The principal the gateway's proxies present to the service (what its AuthorizationPolicy must allow). */
  public get gatewayPrincipal(): string {
    return this.gatewayIdentity._principalIn(rootNamespaceOf(this).namespace)!;
  }

  /**
   * The gateway's identity: istioctl's gateway (`CallerIdentity.ingressGateway()`), or the
   * ServiceAccount Istio gives a Gateway API gateway, `<name>-<class>` in the Gateway's
   * namespace (pilot/pkg/config/kube/gatewaycommon/gateway_utils.go GetDefaultName,
   * deploymentcontroller.go).
   */
  private get gatewayIdentity(): CallerIdentity {
    return this.api === IngressApi.ISTIO_GATEWAY
      ? CallerIdentity.ingressGateway()
      : CallerIdentity.serviceAccount(rootNamespaceOf(this).namespace, `${this.gatewayName}-istio`);
  }

  private renderIstioGateway(): GatewaySpec {
    const https = this.tls ? [{
      port: { number: 443, name: 'https', protocol: 'HTTPS' },
      hosts: this.hosts,
      tls: { mode: GatewaySpecServersTlsMode.SIMPLE, credentialName: this.tls.secretName },
    }] : [];
    return {
      selector: { ...ISTIOCTL_GATEWAY_SELECTOR },
      servers: [
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: this.hosts, tls: this.httpsRedirect ? { httpsRedirect: true } : undefined },
        ...https,
      ],
    };
  }

  private renderKubeGateway(): unknown {
    const svcNs = this.service.namespace!;
    // Routes only from the service's namespace may attach (least privilege; `from: All` would let any namespace claim the hosts).
    const allowedRoutes = { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': svcNs } } } };
    const listeners: unknown[] = [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes }];
    if (this.tls) {
      listeners.push({ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: this.tls.secretName }] }, allowedRoutes });
    }
    return { gatewayClassName: 'istio', listeners };
  }

  private renderHttpRoute(): unknown {
    const s = this.service;
    const routing = s.currentRouting;
    const backend = (version: string, weight?: number) => ({ name: s.hostOf(version).split('.')[0], port: s.servicePort, weight });
    const paths = this.pathPrefixes.map((value) => ({ path: { type: 'PathPrefix', value } }));
    const timeouts = s.timeout ? { request: istioDuration(s.timeout) } : undefined;
    const header = (routing.headerRoutes ?? []).map((h) => ({
      matches: paths.map((p) => ({ ...p, headers: [{ type: h.matchType === HeaderMatchType.REGEX ? 'RegularExpression' : 'Exact', name: h.header, value: h.value }] })),
      backendRefs: [backend(h.version)],
      timeouts,
    }));
    const weighted = routing.weights.filter((w) => w.weight > 0);
    // A whole percent is `percent`; a fractional one is `fraction` over a million, Envoy's finest
    // denominator (Istio writes mirrorPercentage as value x 10000 of MILLION,
    // pilot/pkg/networking/core/route translatePercentToFractionalPercent), instead of rounding
    // 0.4 % to no mirror at all. Istio reads both from 1.24 (pilot/pkg/config/kube/gateway/conversion.go
    // createMirrorFilter: 100 x numerator / denominator); 1.22 and 1.23 ignore them and mirror every request.
    const percent = routing.mirrorPercent ?? 100;
    const share = Number.isInteger(percent) ? { percent } : { fraction: { numerator: Math.round(percent * 10_000), denominator: 1_000_000 } };
    const mirror = routing.mirrorVersion === undefined ? undefined : [{
      type: 'RequestMirror',
      requestMirror: { backendRef: { name: s.hostOf(routing.mirrorVersion).split('.')[0], port: s.servicePort }, ...share },
    }];
    return {
      parentRefs: [{ name: this.gatewayName, namespace: rootNamespaceOf(this).namespace, sectionName: this.tls ? 'https' : 'http' }],
      hostnames: this.hosts,
      rules: [
        ...header,
        {
          matches: paths,
          backendRefs: weighted.map((w) => backend(w.version, weighted.length > 1 ? w.weight : undefined)),
          timeouts,
          filters: mirror,
        },
      ],
    };
  }

  private validateApp(): string[] {
    const errors: string[] = [];
    const registry = MeshRegistry.of(this);
    const all = registry.list<ServiceIngress>('ingress');
    // Hosts: each claimed once in the app; wildcards may not overlap another entry's hosts.
    for (const other of all.slice(0, all.indexOf(this))) {
      for (const h of this.hosts) {
        const clash = other.hosts.find((o) => hostsOverlap(h, o));
        if (clash) {
          const what = h === clash ? 'is also claimed' : `overlaps ${show(clash)}, claimed`;
          errors.push(problem(this, 'hosts', h, `${what} by ${other.node.path} (for ${other.service.node.path}): a gateway would send the host's requests to one of them, unpredictably`,
            'give each service hosts of its own, and use one wildcard only where no other entry claims a name under it'));
        }
      }
    }
    if (this.api === IngressApi.ISTIO_GATEWAY) {
      const planes = registry.list<IConstruct & { readonly _installsIngressGateway: boolean }>('control-plane');
      if (planes.length > 0 && !planes.some((p) => p._installsIngressGateway)) {
        errors.push(problem(this, 'api', this.api, `selects the gateway pods labelled istio=ingressgateway, and no TunedControlPlane of the app installs an ingress gateway (${planes.map((p) => p.node.path).join(', ')})`,
          'turn on ingressGateway: { enabled: true } on one TunedControlPlane, or use api: IngressApi.GATEWAY_API (Istio deploys that gateway itself)'));
      }
    }
    if (this.api === IngressApi.GATEWAY_API && (this.service.currentRouting.headerRoutes ?? []).some((h) => h.matchType === HeaderMatchType.PREFIX)) {
      errors.push(problem(this, 'api', this.api, `cannot carry the prefix header match of ${this.service.node.path}'s routing: Gateway API header matches are Exact or RegularExpression`,
        'use HeaderMatch.exact(...) for the override, or api: IngressApi.ISTIO_GATEWAY'));
    }
    // A service with an AuthorizationPolicy admits only what it allows: the gateway must be among them.
    const policy = DependencyPolicy.of(this.service)?.authorizationPolicy;
    if (policy) {
      const from = (renderedJson(policy).spec?.rules ?? []).flatMap((r: any) => r?.from ?? []);
      const principals: string[] = from.flatMap((f: any) => f?.source?.principals ?? []);
      const namespaces: string[] = from.flatMap((f: any) => f?.source?.namespaces ?? []);
      const root = rootNamespaceOf(this).namespace;
      if (!principals.includes(this.gatewayPrincipal) && !namespaces.includes(root)) {
        const fix = this.api === IngressApi.ISTIO_GATEWAY
          ? `${this.service.node.id}.allowCallsFrom(CallerIdentity.ingressGateway())`
          : `${this.service.node.id}.allowCallsFrom(CallerIdentity.serviceAccount(${show(root)}, ${show(`${this.gatewayName}-istio`)}))`;
        errors.push(problem(this, 'service', this.service.node.path,
          `has an AuthorizationPolicy that does not allow the gateway (${this.gatewayPrincipal}): every request from the edge would get 403`, `allow it: ${fix}`));
      }
    }
    return errors;
  }
}

function checkHosts(scope: ServiceIngress, hosts: unknown): string[] {
  if (!Array.isArray(hosts) || hosts.length === 0) {
    fail(scope, 'hosts', hosts, 'must list at least one host name', 'pass hosts: ["shop.example.com"]');
  }
  const seen = new Set<string>();
  hosts.forEach((h, i) => {
    if (typeof h !== 'string' || h.length > 253 || !HOSTNAME.test(h) || !h.includes('.')) {
      fail(scope, `hosts[${i}]`, h, 'must be a lowercase DNS name with at least one dot, optionally starting with "*." (no IP, no port, no bare "*")',
        'use e.g. "shop.example.com" or "*.shop.example.com"');
    }
    if (h.endsWith('.svc') || h.endsWith('.cluster.local')) {
      fail(scope, `hosts[${i}]`, h, 'is a cluster-local name: callers inside the mesh reach the service by its own host already', 'use the name clients outside the cluster use, e.g. "shop.example.com"');
    }
    if (seen.has(h)) fail(scope, `hosts[${i}]`, h, 'is listed twice', 'list each host once');
    seen.add(h);
  });
  return [...hosts];
}

function checkPrefixes(scope: ServiceIngress, prefixes: unknown): string[] {
  if (!Array.isArray(prefixes) || prefixes.length === 0) {
    fail(scope, 'pathPrefixes', prefixes, 'must list at least one path prefix', 'leave pathPrefixes unset for every path, or pass e.g. ["/shop"]');
  }
  const seen = new Set<string>();
  prefixes.forEach((p, i) => {
    const bad = typeof p !== 'string' || !p.startsWith('/') || p.length > 1024 || !PATH.test(p)
      || ['//', '/./', '/../', '%2f', '%2F', '#'].some((x) => p.includes(x)) || p.endsWith('/..') || p.endsWith('/.');
    if (bad) {
      fail(scope, `pathPrefixes[${i}]`, p, 'must be a URL path starting with "/" (no "//", "/./", "/../", encoded "/" or "#"; at most 1024 characters)',
        'use e.g. "/shop" or "/api/v1"');
    }
    if (seen.has(p)) fail(scope, `pathPrefixes[${i}]`, p, 'is listed twice', 'list each prefix once');
    seen.add(p);
  });
  return [...prefixes];
}
