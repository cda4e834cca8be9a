// Shared by the benchmark apps: the shape of the generated mesh, so the library, the
// hand-written baseline and the floor describe the same services with the same names.

/** What the runner asks an app to do (passed by bench/launch.cjs). */
export interface BenchOptions {
  /** Number of services in the mesh. */
  readonly n: number;
  /** Services per namespace; each namespace is one chart, so one output file. */
  readonly perNamespace: number;
  /** Output directory (the app writes `<chart>.k8s.yaml` files into it). */
  readonly outdir: string;
  /**
   * Features to leave off even when the library has them (`canary`, `talksTo`, `rules`), for the
   * with/without comparisons; the baseline mirrors whatever the library turned on.
   */
  readonly disable: string[];
  /** Features the baseline must mirror (the library variant's `features`; empty for the library itself). */
  readonly mirror: string[];
  /** For the floor: the plain-data objects to write (JSON from a prior library synth). */
  readonly floorData?: string;
}

/** What an app reports about its own run (phases in milliseconds, from `process.hrtime`). */
export interface BenchReport {
  /** Features that were on (library: detected from its exports; baseline: mirrored). */
  readonly features: string[];
  /** Milliseconds per phase, in order (e.g. build, synth). */
  readonly phases: { [phase: string]: number };
}

/** Versions of every service: the stable one and the canary. */
export const STABLE = 'v1';
export const CANARY = 'v2';
/** Share of traffic for the canary. */
export const CANARY_WEIGHT = 10;
/** Dependencies per service (`talksTo`), all in the caller's namespace. */
export const DEPENDENCIES = 3;
export const PORT = 8080;
export const SERVICE_PORT = 80;
/** Request timeout on every HTTP route, in seconds. */
export const TIMEOUT_SECONDS = 5;

/** One generated service: where it lives and what it calls. */
export interface ServiceSpec {
  readonly index: number;
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly canaryImage: string;
  /** Indexes (into the same list) of the services it calls. */
  readonly dependsOn: number[];
}

/** The namespaces (charts) of the mesh, each with its services, in a fixed order. */
export function meshShape(n: number, perNamespace: number): { namespace: string; services: ServiceSpec[] }[] {
  const out: { namespace: string; services: ServiceSpec[] }[] = [];
  for (let first = 0; first < n; first += perNamespace) {
    const namespace = `team-${String(first / perNamespace).padStart(3, '0')}`;
    const size = Math.min(perNamespace, n - first);
    const services: ServiceSpec[] = [];
    for (let k = 0; k < size; k++) {
      const index = first + k;
      const name = `svc-${String(index).padStart(5, '0')}`;
      const deps: number[] = [];
      // Callees are the next services in the same namespace (cross-namespace calls would need
      // AuthorizationPolicies the benchmark does not model); fewer when the namespace is small.
      for (let d = 1; d <= Math.min(DEPENDENCIES, size - 1); d++) deps.push(first + ((k + d) % size));
      services.push({
        index,
        name,
        namespace,
        image: `registry.example.com/${namespace}/${name}:1.0.0`,
        canaryImage: `registry.example.com/${namespace}/${name}:1.1.0`,
        dependsOn: deps,
      });
    }
    out.push({ namespace, services });
  }
  return out;
}

/** A stopwatch for phases. */
export class Phases {
  private readonly times: { [phase: string]: number } = {};
  private last = process.hrtime.bigint();

  /** Ends the current phase under `name`. */
  public end(name: string): void {
    const now = process.hrtime.bigint();
    this.times[name] = (this.times[name] ?? 0) + Number(now - this.last) / 1e6;
    this.last = now;
  }

  /** The phases so far. */
  public get result(): { [phase: string]: number } {
    return { ...this.times };
  }
}
