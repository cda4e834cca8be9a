import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { HeaderMatch } from './header-match';
import { isHttpLike } from './mesh-protocol';
import { MeshedService } from './meshed-service';
import { checkInt, checkNumber, checkObject } from './private/checks';
import { fail, problem, show } from './private/errors';
import { asArray, selects } from './private/json';
import { addValidationOncePerSynth, renderedJson } from './private/synth-once';
import { ServiceRouting } from './service-routing';

/**
 * Props for a CanaryRelease.
 */
export interface CanaryReleaseProps {
  /** The service whose traffic is shifted (its single VirtualService and DestinationRule are configured). */
  readonly service: MeshedService;

  /**
   * The version that keeps the rest of the ordinary traffic.
   *
   * @default - the service's first version (`service.stableVersion`)
   */
  readonly stableVersion?: string;

  /** The new version (added with `service.addVersion`). */
  readonly canaryVersion: string;

  /**
   * Whole percent (0-100) of ordinary traffic for the canary; the stable version gets the
   * rest. 100 is promotion, 0 is rollback (the header override still reaches the canary).
   * Not together with `steps`.
   *
   * @default 0 - a dark launch: only requests matching `headerOverride` reach the canary
   */
  readonly canaryWeight?: number;

  /**
   * Requests matching this header go to the canary whatever the weights, so testers can
   * reach it on demand, during rollback too. Not written at promotion (weight 100), where
   * every request goes to the canary anyway.
   *
   * @default - `HeaderMatch.exact('x-canary', 'true')` on HTTP, HTTP2 and gRPC services; none on TCP services, which have no headers
   */
  readonly headerOverride?: HeaderMatch;

  /**
   * Shadow-copy this percent (0-100, fractions allowed) of the weighted route's requests
   * to the canary; responses of the copies are discarded. Istio mirrors per route, so at a
   * canary weight above 0 the canary's own share is copied too. 0 writes no mirror.
   *
   * @default - no mirror
   * @see https://istio.io/latest/docs/tasks/traffic-management/mirroring/
   */
  readonly mirrorPercent?: number;

  /**
   * A plan of canary weights, strictly increasing whole percents from 1 to 100
   * (e.g. `[1, 5, 25, 50, 100]`); `currentStep` picks the one in force, so a pipeline
   * advances the release by changing one number. Not together with `canaryWeight`.
   *
   * @default - no plan: `canaryWeight` sets the weight
   */
  readonly steps?: number[];

  /**
   * The step of `steps` in force, counted from 1 (`1` is the first weight of the plan,
   * `steps.length` the last); `0` means the release has not started, or is rolled back:
   * weight 0, the header override still reaches the canary. Required with `steps`.
   *
   * @default - none; required when `steps` is set, refused without it
   */
  readonly currentStep?: number;
}

/**
 * A weighted canary of one MeshedService: a share of ordinary traffic goes to the canary,
 * a header sends testers there on demand, and the share moves by steps to promotion (100)
 * or rollback (0).
 *
 * It creates no Istio object of its own: it sets the routing of the service's single
 * VirtualService (the header route first, then the weighted route), which sends each
 * version's share to the version's own Service; the host's Service follows the primary
 * version, so clients that bypass the VirtualService never reach the canary beyond its share.
 * At synth it checks that both versions are deployed, that the VirtualService routes only to
 * their Services and that each Service selects its version's pods and only those (Istio's
 * IST0101 and IST0173, which nothing else catches before traffic fails), that the host's
 * Service selects the primary version alone, and that a version receiving traffic has pods.
 */
export class CanaryRelease extends Construct {
  /** The service whose routing this release sets. */
  public readonly service: MeshedService;
  /** The version that keeps the rest of the ordinary traffic. */
  public readonly stableVersion: string;
  /** The new version. */
  public readonly canaryVersion: string;
  /** Percent of ordinary traffic for the canary (from `canaryWeight` or the current step). */
  public readonly canaryWeight: number;
  /** Percent of ordinary traffic for the stable version (100 - canaryWeight). */
  public readonly stableWeight: number;
  /** The header override in force (`HeaderMatch.none()` when there is none). */
  public readonly headerOverride: HeaderMatch;
  /** Percent of requests mirrored to the canary, if any. */
  public readonly mirrorPercent?: number;
  /** The step in force, when the release follows a plan. */
  public readonly currentStep?: number;

  private readonly plan?: number[];

  constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id);
    props = checkObject(this, 'props', props, '{ service, canaryVersion: "v2" }');
    const service = props.service;
    if (!MeshedService.isMeshedService(service)) {
      fail(this, 'service', service, 'must be a MeshedService', 'pass the MeshedService whose traffic the release shifts');
    }
    this.service = service;
    this.stableVersion = checkVersionName(this, 'stableVersion', props.stableVersion ?? service.stableVersion);
    this.canaryVersion = checkVersionName(this, 'canaryVersion', props.canaryVersion);
    if (this.canaryVersion === this.stableVersion) {
      fail(this, 'canaryVersion', this.canaryVersion, `must differ from the stable version (${show(this.stableVersion)}): a release needs two versions`,
        'deploy the new version with service.addVersion("v3", ...) and name it as canaryVersion');
    }

    if (props.steps !== undefined) {
      if (props.canaryWeight !== undefined) {
        fail(this, 'canaryWeight', props.canaryWeight, 'cannot be set together with steps: the current step sets the weight',
          'remove canaryWeight and choose currentStep, or remove steps');
      }
      this.plan = checkSteps(this, props.steps);
      this.currentStep = checkCurrentStep(this, this.plan, props.currentStep);
      this.canaryWeight = this.currentStep === 0 ? 0 : this.plan[this.currentStep - 1];
    } else {
      if (props.currentStep !== undefined) {
        fail(this, 'currentStep', props.currentStep, 'needs a plan of steps', 'set steps, e.g. [1, 5, 25, 50, 100], or set canaryWeight instead');
      }
      this.canaryWeight = checkWeight(this, 'canaryWeight', props.canaryWeight ?? 0);
    }
    this.stableWeight = 100 - this.canaryWeight;

    const http = isHttpLike(service.protocol);
    if (props.headerOverride !== undefined && !(props.headerOverride instanceof HeaderMatch)) {
      fail(this, 'headerOverride', props.headerOverride, 'must be a HeaderMatch', 'use HeaderMatch.exact("x-canary", "true"), HeaderMatch.prefix(...) or HeaderMatch.none()');
    }
    this.headerOverride = props.headerOverride ?? (http ? HeaderMatch.exact('x-canary', 'true') : HeaderMatch.none());
    this.headerOverride._check(this, 'headerOverride');
    if (!http && !this.headerOverride.isNone) {
      fail(this, 'headerOverride', `${this.headerOverride.header}`, `needs HTTP, and ${service.node.path} is a TCP service (TCP has no headers)`,
        'set headerOverride: HeaderMatch.none(), or set the service protocol to HTTP, HTTP2 or GRPC');
    }

    const mp = props.mirrorPercent;
    if (mp !== undefined) {
      checkNumber(this, 'mirrorPercent', mp, 0, 100, 'must be a percentage from 0 to 100', 'set the share of requests to copy to the canary, e.g. 10');
      if (!http) {
        fail(this, 'mirrorPercent', mp, `needs HTTP, and ${service.node.path} is a TCP service (Istio mirrors HTTP routes only)`, 'remove mirrorPercent');
      }
      if (mp > 0 && this.canaryWeight === 100) {
        fail(this, 'mirrorPercent', mp, `mirrors to ${show(this.canaryVersion)}, which already gets 100% of the traffic: every request would reach it twice`,
          'remove mirrorPercent at promotion');
      }
      this.mirrorPercent = mp;
    }

    service.setRouting(this, this.routing());
    addValidationOncePerSynth(this, () => this.validateVersions());
  }

  /** The prop that named a version, for messages about it. @internal */
  public _versionProp(version: string): string | undefined {
    if (version === this.canaryVersion) return 'canaryVersion';
    if (version === this.stableVersion) return 'stableVersion';
    return undefined;
  }

  /** The plan of weights, if the release follows one (a copy). */
  public get steps(): number[] | undefined {
    return this.plan && [...this.plan];
  }

  private routing(): ServiceRouting {
    // At promotion every request reaches the canary already: a header route would be noise.
    const header = this.canaryWeight < 100 ? this.headerOverride._route(this.canaryVersion) : undefined;
    const mirror = this.mirrorPercent !== undefined && this.mirrorPercent > 0;
    return {
      weights: [
        { version: this.stableVersion, weight: this.stableWeight },
        { version: this.canaryVersion, weight: this.canaryWeight },
      ],
      headerRoutes: header ? [header] : undefined,
      mirrorVersion: mirror ? this.canaryVersion : undefined,
      mirrorPercent: mirror ? this.mirrorPercent : undefined,
    };
  }

  /** Whole-app facts, checked on the rendered objects so a user's JSON patch is judged too. */
  private validateVersions(): string[] {
    const service = this.service;
    const errors: string[] = [];
    const props: Array<[string, string]> = [['stableVersion', this.stableVersion], ['canaryVersion', this.canaryVersion]];
    // A version that is not deployed is reported by the service, for every routing it is given (MeshedService.setRouting).
    if (props.some(([, version]) => !service.hasVersion(version))) return errors;

    const vs = renderedJson(service.virtualService);
    const pods = new Map<string, { name: string; labels: Record<string, string>; replicas: unknown }>();
    for (const version of service.versions) {
      const dep = renderedJson(ApiObject.of(service.deploymentOf(version)));
      pods.set(version, { name: dep.metadata?.name, labels: dep.spec?.template?.metadata?.labels ?? {}, replicas: dep.spec?.replicas });
    }
    const versionOfHost = new Map(service.versions.map((v) => [service.hostOf(v), v]));

    // Every host the VirtualService routes to must be a version's own Service (IST0101).
    const targets = new Map<string, string>(); // version -> how it is reached
    // A host that is no string (a JSON patch removed the destination or wrote a number) is none
    // of the versions' Services either: reported, not skipped.
    const reach = (host: unknown, via: string) => {
      const version = typeof host === 'string' ? versionOfHost.get(host) : undefined;
      if (version !== undefined) {
        targets.set(version, via);
      } else {
        errors.push(problem(this, 'service', service.node.path,
          `routes ${via} to host ${show(host)}, which is none of its versions' Services (${[...versionOfHost.keys()].join(', ')}): those requests would not follow the release`,
          'do not change VirtualService destinations in a JSON patch; let the MeshedService write them'));
      }
    };
    for (const rule of [...asArray(vs.spec?.http), ...asArray(vs.spec?.tcp)]) {
      for (const r of asArray(rule?.route)) {
        if (r?.weight === undefined || r.weight > 0) reach(r?.destination?.host, rule?.match ? 'the header override' : 'the weighted route');
      }
      if (rule?.mirror) reach(rule.mirror.host, 'the mirror');
    }

    for (const [prop, version] of props) {
      const pod = pods.get(version)!;
      // Both versions are deployed (checked above) and differ, so each has a Service of its own.
      const own = ApiObject.of(service.versionServiceOf(version)!);
      const selector = renderedJson(own).spec?.selector;
      const what = `Service ${own.name}`;
      if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0) {
        errors.push(problem(this, prop, version, `has no selector on its ${what}: it would select no pod, or every pod of the namespace`,
          // The selector the version's Service is written with (ensureVersionBackend), not every pod label.
          `keep the selector the MeshedService writes (${show(service.podLabelsOf(version))})`));
        continue;
      }
      if (!selects(selector, pod.labels)) {
        errors.push(problem(this, prop, version,
          `has selector ${show(selector)} on its ${what} that does not select the pods of Deployment ${pod.name} (${mismatches(selector, pod.labels)}), so it would get no traffic (IST0173)`,
          'make the selector match the pod template labels: undo the JSON patch that changed one of them'));
      }
      for (const [other, otherPod] of pods) {
        if (other !== version && selects(selector, otherPod.labels)) {
          errors.push(problem(this, prop, version,
            `has selector ${show(selector)} on its ${what} that also selects the pods of Deployment ${otherPod.name}, so its share would reach ${show(other)} too`,
            'keep the version label in the selector and on each pod template'));
        }
      }
      if (targets.has(version) && pod.replicas === 0) {
        errors.push(problem(this, prop, version, `receives traffic through ${targets.get(version)}, but Deployment ${pod.name} has 0 replicas: those requests would fail with 503 UH`,
          version === this.canaryVersion && this.canaryWeight === 0
            ? 'give the version replicas, or set headerOverride: HeaderMatch.none() and remove mirrorPercent while it is scaled to zero'
            : 'give the version replicas, or move its weight to a version that has pods'));
      }
    }

    // Clients that bypass the VirtualService (no sidecar, kube-proxy, a gateway with a route of
    // its own) reach what the host's Service selects: the primary version, and nothing else.
    const apex = renderedJson(ApiObject.of(service.service)).spec?.selector;
    const primary = service.primaryVersion;
    const bypass = [...pods].filter(([, pod]) => apex && typeof apex === 'object' && selects(apex, pod.labels)).map(([v]) => v);
    if (bypass.length !== 1 || bypass[0] !== primary) {
      errors.push(problem(this, 'service', service.node.path,
        `has a Service ${service.service.name} whose selector ${show(apex)} reaches ${bypass.length ? `version(s) ${bypass.join(', ')}` : 'no version'}, while the split gives the most traffic to ${show(primary)}: clients that bypass the VirtualService (no sidecar, kube-proxy, an ingress route of their own) would not follow the release`,
        `keep the selector the MeshedService writes (${show({ app: service.name, version: primary })}): undo the JSON patch that changed it`));
    }
    return errors;
  }
}

function checkVersionName(scope: IConstruct, prop: string, version: string): string {
  if (typeof version !== 'string' || version === '') {
    fail(scope, prop, version, 'must name a version of the service', 'use the version label given to the service or to addVersion, e.g. "v3"');
  }
  return version;
}

function checkWeight(scope: IConstruct, prop: string, weight: number): number {
  return checkInt(scope, prop, weight, 0, 100, 'set the percent of ordinary traffic for the canary version, e.g. 10 (100 promotes it, 0 rolls it back)');
}

function checkSteps(scope: IConstruct, steps: number[]): number[] {
  if (!Array.isArray(steps) || steps.length === 0) {
    fail(scope, 'steps', steps, 'must list at least one weight', 'set steps to increasing percents, e.g. [1, 5, 25, 50, 100], or set canaryWeight instead');
  }
  steps.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 100) {
      fail(scope, 'steps', steps, `must hold whole percents from 1 to 100 (step ${i + 1} is ${show(w)}; currentStep 0 already means weight 0)`, 'use weights like [1, 5, 25, 50, 100]');
    }
    if (i > 0 && w <= steps[i - 1]) {
      fail(scope, 'steps', steps, `must be strictly increasing (step ${i + 1} is ${w}, after ${steps[i - 1]})`, 'sort the weights and drop repeats, e.g. [1, 5, 25, 50, 100]');
    }
  });
  return [...steps];
}

function checkCurrentStep(scope: IConstruct, plan: number[], step: number | undefined): number {
  if (step === undefined) {
    fail(scope, 'currentStep', step, `is required with steps (a plan of ${plan.length})`, `set currentStep from 1 to ${plan.length}, or 0 before the first step`);
  }
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > plan.length) {
    fail(scope, 'currentStep', step, `must be a whole number from 0 to ${plan.length}: steps are counted from 1, and 0 means not started or rolled back`,
      `pick a step of the plan ${show(plan)}, e.g. currentStep: 1 for ${plan[0]}%`);
  }
  return step;
}

/** Says which selector labels the pods lack, e.g. `version is "v3-rc" in the selector, "v3" on the pods`. */
function mismatches(selector: Record<string, string>, podLabels: Record<string, string>): string {
  return Object.entries(selector).filter(([k, v]) => podLabels[k] !== v)
    .map(([k, v]) => `${k} is ${show(v)} in the selector, ${k in podLabels ? show(podLabels[k]) : 'absent'} on the pods`).join('; ');
}
