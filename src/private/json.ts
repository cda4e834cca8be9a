// Helpers for plain JSON: rendered objects, wire shapes.

export function isObject(x: unknown): x is Record<string, any> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

export function asArray(x: unknown): any[] {
  return Array.isArray(x) ? x : [];
}

/** A label/annotation map, keeping string-ish values only. */
export function stringMap(x: unknown): Record<string, string> {
  if (!isObject(x)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x)) if (v !== null && v !== undefined && typeof v !== 'object') out[k] = String(v);
  return out;
}

/** Label selector match: every selector label is on the pod. */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The members of `obj` that are not undefined (one level). */
export function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Drops undefined values and empty objects, deeply, so nothing without effect reaches the YAML;
 * undefined when nothing is left (Istio rejects some empty objects, e.g. a connection pool).
 */
export function prune<T>(v: T): T | undefined {
  if (Array.isArray(v)) return v.map(prune) as T;
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const p = prune(x);
    // an empty object is pruned to undefined already
    if (p === undefined) continue;
    out[k] = p;
  }
  return Object.keys(out).length ? out as T : undefined;
}
