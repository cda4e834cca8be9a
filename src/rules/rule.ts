// The shape of a mesh rule. Internal to the library (not jsii API): rules read plain JSON.
import type { MeshObjects } from './mesh-objects';

/** A synthesized Kubernetes object as plain JSON. */
export type KObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: any };
  [k: string]: any;
};

/** What a rule reports: the object, where in it, and what is wrong (with the value received). */
export interface RuleHit {
  readonly object: KObject;
  /** JSON pointer inside the object (`/spec/http/0/match/0/uri/regex`). */
  readonly location: string;
  /** What is wrong, with the value received, lowercase, no trailing period. */
  readonly message: string;
  /** A fix specific to this hit; the rule's fix otherwise. */
  readonly fix?: string;
}

/** A mesh rule: one concern, a stable id, a level and a pure check. */
export interface MeshRule {
  /** Stable id, e.g. `MESH-VS-001`. Never reused for another meaning. */
  readonly id: string;
  readonly level: 'error' | 'warning';
  /** One line: what the rule finds. */
  readonly info: string;
  /** The failure it prevents. */
  readonly explanation: string;
  /** How to fix it, in general. */
  readonly fix: string;
  /** The `istioctl analyze` codes (IST0101...) whose analyzer this rule mirrors; none when it mirrors none. */
  readonly istioCodes?: readonly string[];
  /** Pure: reads the indexed objects, returns hits. Never throws on odd input. */
  check(objects: MeshObjects): RuleHit[];
}
