// `kind: List` (and `<Kind>List`) documents hold objects kubectl applies one by one: the rules
// see those objects, wherever they come from (an Include, a raw ApiObject, a manifest file).
import type { KObject } from './rule';

/** Whether an object is a list kubectl expands (`kind: List`, or `<Kind>List` with `items`). */
export function isList(o: KObject): boolean {
  return !!o && typeof o.kind === 'string' && /List$/.test(o.kind) && Array.isArray(o.items);
}

/**
 * The objects of a list, lists inside it expanded too; any other object as itself. Items are
 * kept as they are (an item without a namespace lands where kubectl puts it, like any object).
 */
export function expandList(o: KObject, depth = 0): KObject[] {
  if (!isList(o) || depth > 8) return [o];
  return (o.items as unknown[])
    .filter((i): i is KObject => !!i && typeof i === 'object' && !Array.isArray(i))
    .flatMap((i) => expandList(i, depth + 1));
}
