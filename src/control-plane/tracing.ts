import { IConstruct } from 'constructs';
import { ExtensionProvider } from './istio-operator';
import { checkNumber, checkPort } from '../private/checks';
import { fail, problem } from '../private/errors';

/** Where a tracing provider's spans go. */
export class TracingProvider {
  /**
   * A Zipkin-API collector (Zipkin, Jaeger's Zipkin port, ...), defined in `meshConfig.extensionProviders`.
   *
   * @param name the provider name the Telemetry refers to
   * @param service the collector's host, e.g. `zipkin.istio-system.svc.cluster.local`
   * @param port the collector's port (Zipkin: 9411)
   */
  public static zipkin(name: string, service: string, port: number = 9411): TracingProvider {
    return new TracingProvider(name, 'zipkin', service, port);
  }

  /**
   * An OpenTelemetry (OTLP/gRPC) collector, defined in `meshConfig.extensionProviders`.
   *
   * @param name the provider name the Telemetry refers to
   * @param service the collector's host, e.g. `otel-collector.observability.svc.cluster.local`
   * @param port the collector's OTLP gRPC port (4317)
   */
  public static openTelemetry(name: string, service: string, port: number = 4317): TracingProvider {
    return new TracingProvider(name, 'opentelemetry', service, port);
  }

  /**
   * A provider already defined in the mesh config by other means (another `-f` file, for example);
   * only its name is written.
   *
   * @param name the provider's name in `meshConfig.extensionProviders`
   * @param service the collector's host, e.g. `otel-collector.observability.svc.cluster.local`: the
   * Sidecars the dependency graph writes keep it in their egress, or the spans of scoped
   * workloads are dropped (istio#53701). Required once any service declares `talksTo`.
   */
  public static existing(name: string, service?: string): TracingProvider {
    return new TracingProvider(name, undefined, service);
  }

  private constructor(
    /** The provider name. */
    public readonly name: string,
    private readonly kind?: string,
    /** The collector's host, if known. */
    public readonly service?: string,
    private readonly port?: number) {}

  /** True for a Zipkin-API provider defined here. @internal */
  public get _isZipkin(): boolean {
    return this.kind === 'zipkin';
  }

  /** @internal */
  public _check(scope: IConstruct, prop: string): void {
    if (typeof this.name !== 'string' || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(this.name)) {
      fail(scope, `${prop}.name`, this.name, 'must be a non-empty name of letters, digits, \'-\', \'_\' or \'.\'', 'name the provider, e.g. "otel-tracing"');
    }
    if (this.kind === undefined && this.service === undefined) return;
    if (typeof this.service !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(this.service)) {
      fail(scope, `${prop}.service`, this.service, 'must be a lowercase host name without scheme, port or spaces',
        'use the collector\'s Service host, e.g. "otel-collector.observability.svc.cluster.local"');
    }
    if (this.kind !== undefined) checkPort(scope, `${prop}.port`, this.port!, `use the collector's port (${this.kind === 'zipkin' ? 9411 : 4317})`);
  }

  /** The `meshConfig.extensionProviders` entry, when this construct defines it. @internal */
  public _extensionProvider(): ExtensionProvider | undefined {
    if (this.kind === undefined) return undefined;
    return { name: this.name, [this.kind]: { service: this.service!, port: this.port! } };
  }

  /** `host:port` for the legacy `defaultConfig.tracing.zipkin.address`. @internal */
  public _address(): string {
    return `${this.service}:${this.port}`;
  }

  /**
   * The collector as a Sidecar egress host (`<namespace>/<host>`): a cluster-local Service host
   * (`name.namespace[.svc[.cluster.local]]`) names its namespace, anything else is `*\/host`. @internal
   */
  public _egressHost(): string | undefined {
    if (this.service === undefined) return undefined;
    const labels = this.service.split('.');
    const local = labels.length === 2 || labels[2] === 'svc'; // one label (no namespace) is neither
    return local ? `${labels[1]}/${this.service}` : `*/${this.service}`;
  }
}

/**
 * The share of requests traced, where it is configured, and where the spans go. Tracing is
 * either configured end to end or not at all: Istio 1.22-1.30 ship with no tracer
 * (`values.global.proxy.tracer: "none"`, manifests/charts/istio-control/istio-discovery/values.yaml,
 * so the mesh config's `defaultConfig.tracing` has no tracer: templates/configmap.yaml), and a
 * sampling rate with no tracer produces no spans (pilot/pkg/networking/core/tracing.go sets only
 * the HCM sampling on the legacy path; the tracer comes from the proxy bootstrap).
 *
 * Istio reads the percentage from the first of: a provider's own sampler, a Telemetry's
 * `randomSamplingPercentage`, `meshConfig.defaultConfig.tracing.sampling`, then istiod's
 * `PILOT_TRACE_SAMPLING` (tracing.go, `configureTracingFromTelemetry`).
 *
 * @see https://istio.io/latest/docs/tasks/observability/distributed-tracing/telemetry-api/
 */
export class TracingSampling {
  /**
   * The legacy place: `meshConfig.defaultConfig.tracing`, read by every proxy at injection:
   * the sampling percentage and a Zipkin tracer (`tracing.zipkin.address`, the only collector
   * kind both places share). `0` cannot turn tracing off here (istiod reads 0 as unset); use
   * `telemetry`.
   *
   * @param percent 0.01–100 (a percentage: 1 means 1%, not 100%)
   * @param provider where spans go: a `TracingProvider.zipkin(...)` (required: without a tracer
   * nothing is traced; omitted only by plain-JavaScript callers, who get an error saying so)
   */
  public static meshConfig(percent: number, provider?: TracingProvider): TracingSampling {
    return new TracingSampling(percent, provider, false);
  }

  /**
   * The modern place: a `telemetry.istio.io` Telemetry named `mesh-default` in the root
   * namespace with `tracing[].randomSamplingPercentage`, sending to `provider`. Nothing is
   * written to `defaultConfig.tracing`. A provider is required: without one, older istiod falls
   * back to the legacy settings and ignores the percentage, and newer istiod has no provider to send to.
   *
   * @param percent 0–100 (a percentage: 1 means 1%)
   */
  public static telemetry(percent: number, provider: TracingProvider): TracingSampling {
    return new TracingSampling(percent, provider, true);
  }

  private constructor(
    /** The percentage of requests traced. */
    public readonly percent: number,
    /** Where spans go. */
    public readonly provider: TracingProvider | undefined,
    /** True when the Telemetry resource carries the percentage. */
    public readonly viaTelemetry: boolean) {}

  /** Errors throw; warnings are returned. @internal */
  public _check(scope: IConstruct, prop: string): string[] {
    const p = checkNumber(scope, `${prop}.percent`, this.percent, 0, 100, 'must be a percentage from 0 to 100 (1 means 1% of requests)',
      'set e.g. TracingSampling.telemetry(1, TracingProvider.openTelemetry("otel", "otel-collector.observability.svc.cluster.local")) for 1%');
    if (!(this.provider instanceof TracingProvider)) {
      fail(scope, `${prop}.provider`, this.provider, 'must name where spans go: Istio installs no tracer by default (values.global.proxy.tracer is "none" in 1.22-1.30), so a sampling rate alone traces nothing',
        'use TracingSampling.telemetry(1, TracingProvider.openTelemetry("otel", "otel-collector.observability.svc.cluster.local")), or leave tracing unset to write no tracing at all');
    }
    if (!this.viaTelemetry && p === 0) {
      fail(scope, `${prop}.percent`, p, 'of 0 in meshConfig.defaultConfig.tracing.sampling is read by istiod as unset and falls back to PILOT_TRACE_SAMPLING (1%)',
        'to trace nothing leave tracing unset, or use TracingSampling.telemetry(0, provider)');
    }
    if (!this.viaTelemetry && !this.provider._isZipkin) {
      fail(scope, `${prop}.provider`, this.provider.name, 'cannot be the tracer of meshConfig.defaultConfig.tracing: that place takes a Zipkin address, not an extension provider',
        `use TracingSampling.telemetry(${p}, provider) for this provider, or TracingSampling.meshConfig(${p}, TracingProvider.zipkin("zipkin", "zipkin.istio-system.svc.cluster.local"))`);
    }
    this.provider._check(scope, `${prop}.provider`);
    return p > 10
      ? [problem(scope, `${prop}.percent`, p, 'traces more than 10% of requests: the tracing backend fills up and every traced request costs proxy CPU',
        'sample 1% or less in production; raise it only while investigating')]
      : [];
  }
}
