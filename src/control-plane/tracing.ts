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
   */
  public static existing(name: string): TracingProvider {
    return new TracingProvider(name);
  }

  private constructor(
    /** The provider name. */
    public readonly name: string,
    private readonly kind?: string,
    private readonly service?: string,
    private readonly port?: number) {}

  /** @internal */
  public _check(scope: IConstruct, prop: string): void {
    if (typeof this.name !== 'string' || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(this.name)) {
      fail(scope, `${prop}.name`, this.name, 'must be a non-empty name of letters, digits, \'-\', \'_\' or \'.\'', 'name the provider, e.g. "otel-tracing"');
    }
    if (this.kind === undefined) return;
    if (typeof this.service !== 'string' || this.service.trim() === '' || /\s|:\/\//.test(this.service)) {
      fail(scope, `${prop}.service`, this.service, 'must be a host name without scheme or spaces', 'use the collector\'s Service host, e.g. "otel-collector.observability.svc.cluster.local"');
    }
    checkPort(scope, `${prop}.port`, this.port!, `use the collector's port (${this.kind === 'zipkin' ? 9411 : 4317})`);
  }

  /** The `meshConfig.extensionProviders` entry, when this construct defines it. @internal */
  public _extensionProvider(): ExtensionProvider | undefined {
    if (this.kind === undefined) return undefined;
    return { name: this.name, [this.kind]: { service: this.service!, port: this.port! } };
  }
}

/**
 * The share of requests traced, and where it is configured.
 *
 * Istio reads the percentage from the first of: a provider's own sampler, a Telemetry's
 * `randomSamplingPercentage`, `meshConfig.defaultConfig.tracing.sampling`, then istiod's
 * `PILOT_TRACE_SAMPLING`. Exactly one of the two places is written, never both.
 *
 * @see https://istio.io/latest/docs/tasks/observability/distributed-tracing/telemetry-api/
 */
export class TracingSampling {
  /**
   * The legacy place: `meshConfig.defaultConfig.tracing.sampling`, read by every proxy at
   * injection. `0` cannot turn tracing off here (istiod reads 0 as unset); use `telemetry`.
   *
   * @param percent 0.01–100 (a percentage: 1 means 1%, not 100%)
   */
  public static meshConfig(percent: number): TracingSampling {
    return new TracingSampling(percent);
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
    return new TracingSampling(percent, provider);
  }

  private constructor(
    /** The percentage of requests traced. */
    public readonly percent: number,
    /** The provider, on the Telemetry path. */
    public readonly provider?: TracingProvider) {}

  /** True when the Telemetry resource carries the percentage. */
  public get viaTelemetry(): boolean {
    return this.provider !== undefined;
  }

  /** Errors throw; warnings are returned. @internal */
  public _check(scope: IConstruct, prop: string): string[] {
    const p = checkNumber(scope, `${prop}.percent`, this.percent, 0, 100, 'must be a percentage from 0 to 100 (1 means 1% of requests)', 'set e.g. TracingSampling.meshConfig(1) for 1%');
    if (this.provider === undefined && p === 0) {
      fail(scope, `${prop}.percent`, p, 'of 0 in meshConfig.defaultConfig.tracing.sampling is read by istiod as unset and falls back to PILOT_TRACE_SAMPLING (1%)',
        'to trace nothing use TracingSampling.telemetry(0, provider)');
    }
    this.provider?._check(scope, `${prop}.provider`);
    return p > 10
      ? [problem(scope, `${prop}.percent`, p, 'traces more than 10% of requests: the tracing backend fills up and every traced request costs proxy CPU',
        'sample 1% or less in production; raise it only while investigating')]
      : [];
  }
}
