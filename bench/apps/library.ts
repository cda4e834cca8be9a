// The library variant: N MeshedServices written with cdk8s-mesh, as a user of the library would.
// Features that other parts of the library add (CanaryRelease, talksTo, the rule pack) are each
// a marked block, switched on when the library exports them, and reported in `features`.
import { App, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BenchOptions, BenchReport, CANARY, CANARY_WEIGHT, meshShape, Phases, PORT, SERVICE_PORT, STABLE, TIMEOUT_SECONDS } from './common';
import * as lib from '../../src';

/** The parts of the library this app uses only when they exist (typed here, looked up at run time). */
interface OptionalApi {
  readonly CanaryRelease?: new (scope: Construct, id: string, props: {
    service: lib.MeshedService; stableVersion: string; canaryVersion: string; canaryWeight: number;
  }) => unknown;
  readonly MeshRules?: { enable(app: App): unknown };
}
interface TalksTo {
  talksTo(other: lib.MeshedService): unknown;
}

/** Features this copy of the library offers, minus those switched off. */
export function detectFeatures(disable: string[] = []): string[] {
  const api = lib as unknown as OptionalApi;
  const found = ['versions'];
  if (typeof api.CanaryRelease === 'function') found.push('canary');
  if (typeof (lib.MeshedService.prototype as unknown as Partial<TalksTo>).talksTo === 'function') found.push('talksTo');
  if (typeof api.MeshRules?.enable === 'function') found.push('rules');
  return found.filter((f) => !disable.includes(f));
}

export function run(opts: BenchOptions): BenchReport {
  const api = lib as unknown as OptionalApi;
  const features = detectFeatures(opts.disable);
  const on = (f: string) => features.includes(f);
  const phases = new Phases();

  const app = new App({ outdir: opts.outdir });
  const services: lib.MeshedService[] = [];
  for (const ns of meshShape(opts.n, opts.perNamespace)) {
    const chart = new Chart(app, ns.namespace, { namespace: ns.namespace });
    for (const s of ns.services) {
      const svc = new lib.MeshedService(chart, s.name, {
        image: s.image,
        port: PORT,
        servicePort: SERVICE_PORT,
        version: STABLE,
        timeout: Duration.seconds(TIMEOUT_SECONDS),
      });
      svc.addVersion(CANARY, { image: s.canaryImage });
      services[s.index] = svc;

      // --- feature: canary (CanaryRelease, issue 3) ---
      if (on('canary')) {
        new api.CanaryRelease!(chart, `${s.name}-canary`, {
          service: svc, stableVersion: STABLE, canaryVersion: CANARY, canaryWeight: CANARY_WEIGHT,
        });
      }
    }
  }

  // --- feature: talksTo (dependency graph, issue 7): three callees each, same namespace ---
  if (on('talksTo')) {
    for (const ns of meshShape(opts.n, opts.perNamespace)) {
      for (const s of ns.services) {
        for (const d of s.dependsOn) (services[s.index] as unknown as TalksTo).talksTo(services[d]);
      }
    }
  }

  // --- feature: rules (the rule pack, issue 6), on for the whole app ---
  if (on('rules')) api.MeshRules!.enable(app);

  phases.end('build');
  app.synth();
  phases.end('synth');
  return { features, phases: phases.result };
}
