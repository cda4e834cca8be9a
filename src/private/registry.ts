import { IConstruct } from 'constructs';
import type { ICallee, IMeshWorkload } from '../graph/dependency';

/** What registers with the App: each construct kind the app-wide view is asked about. */
export type MemberKind = 'workload' | 'external-service' | 'default-deny' | 'mtls-migration' | 'control-plane' | 'ingress';

/** State of one `app.synth()` (see synth-once.ts). */
export interface SynthWindow {
  /** Results of the once-per-synth validations. */
  readonly results: Map<IConstruct, string[]>;
  /** Undo steps for the rendered JSON shared within the synth. */
  readonly cleanups: Array<() => void>;
}

const KEY = Symbol.for('cdk8s-mesh.MeshRegistry');

/**
 * The app-wide view, one per App: the meshed workloads, external services, default-deny
 * namespaces, migrations and control planes, in creation order. Constructs register when they
 * are made, and every change (a member, a dependency, an allowed caller) bumps `version`, so a
 * view computed from the registry (the host index, the graph's edge index) is recomputed only
 * after a change. It lives on the App's root construct: no module-level state, and no walk of
 * the construct tree per query.
 */
export class MeshRegistry {
  /** The registry of the App that `scope` belongs to. */
  public static of(scope: IConstruct): MeshRegistry {
    const root = scope.node.root as unknown as Record<symbol, MeshRegistry | undefined>;
    let registry = root[KEY];
    if (!registry) {
      registry = new MeshRegistry();
      Object.defineProperty(root, KEY, { value: registry });
    }
    return registry;
  }

  /** The registry of `x`'s App, or undefined when `x` is not a construct (a plain-JavaScript caller's value). */
  public static tryOf(x: unknown): MeshRegistry | undefined {
    const node = (x !== null && typeof x === 'object') ? (x as { node?: { root?: unknown } }).node : undefined;
    return node && typeof node.root === 'object' ? MeshRegistry.of(x as IConstruct) : undefined;
  }

  /** Per-synth state, set by synth-once.ts within an App's synth. */
  public synthWindow?: SynthWindow;

  /** The root namespace declared with `Mesh.declareRootNamespace` (see root-namespace.ts). */
  public get declaredRootNamespace(): { readonly namespace: string; readonly source: string } | undefined {
    return this._declaredRoot;
  }

  public set declaredRootNamespace(fact: { readonly namespace: string; readonly source: string } | undefined) {
    this._declaredRoot = fact;
    this.changed();
  }

  private _declaredRoot?: { readonly namespace: string; readonly source: string };

  private _version = 0;
  private readonly members = new Map<MemberKind, IConstruct[]>();
  private readonly sets = new Map<MemberKind, Set<unknown>>();
  private readonly memos = new Map<string, { readonly version: number; readonly value: unknown }>();

  private constructor() {}

  /** Bumped by every change of the app-wide view. */
  public get version(): number {
    return this._version;
  }

  /** Records a change (a dependency declared, a caller allowed): views computed before are stale. */
  public changed(): void {
    this._version++;
  }

  /** Registers a construct of a kind. */
  public add(kind: MemberKind, member: IConstruct): void {
    const list = this.members.get(kind);
    if (list) list.push(member); else this.members.set(kind, [member]);
    const set = this.sets.get(kind);
    if (set) set.add(member); else this.sets.set(kind, new Set([member]));
    this.changed();
  }

  /** The members of a kind, in creation order (a copy). */
  public list<T extends IConstruct>(kind: MemberKind): T[] {
    return [...(this.members.get(kind) ?? [])] as T[];
  }

  /** True when `x` registered as `kind` in this App. */
  public has(kind: MemberKind, x: unknown): boolean {
    return this.sets.get(kind)?.has(x) ?? false;
  }

  /** The meshed workloads (MeshedServices), in creation order. */
  public get workloads(): IMeshWorkload[] {
    return this.list<IMeshWorkload>('workload');
  }

  /** `x` as a meshed workload of this App, or undefined. */
  public workloadOf(x: unknown): IMeshWorkload | undefined {
    return this.has('workload', x) ? x as IMeshWorkload : undefined;
  }

  /** True when `x` is a workload or an external service of this App: something `talksTo` can name. */
  public isCallee(x: unknown): x is ICallee {
    return this.has('workload', x) || this.has('external-service', x);
  }

  /** A value computed from the registry, recomputed after any change. */
  public memo<T>(key: string, compute: () => T): T {
    const cached = this.memos.get(key);
    if (cached && cached.version === this._version) return cached.value as T;
    const value = compute();
    this.memos.set(key, { version: this._version, value });
    return value;
  }
}
