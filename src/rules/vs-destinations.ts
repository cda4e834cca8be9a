// The destinations of a VirtualService, as istioctl analyze walks them
// (pkg/config/analysis/analyzers/virtualservice/util.go getRouteDestinations and
// getHTTPMirrorDestinations), and how each resolves against the app's Services and ServiceEntries
// (virtualservice/destinationhosts.go).
import { HostEntry, MeshObjects, nsOf, resolveHost } from './mesh-objects';
import { KObject } from './rule';
import { asArray, isObject } from '../private/json';

/** A destination of a VirtualService. */
export interface VsDestination {
  readonly vs: KObject;
  readonly destination: Record<string, any>;
  /** JSON pointer of the destination. */
  readonly location: string;
  /** An http `mirror` or `mirrors` destination (its failures do not fail the request). */
  readonly mirror: boolean;
}

/** Route destinations (tcp, tls, http) then http mirrors, with a `host` string. */
export function destinationsOf(vs: KObject): VsDestination[] {
  const out: VsDestination[] = [];
  const add = (d: unknown, location: string, mirror: boolean) => {
    if (isObject(d) && typeof d.host === 'string' && d.host) out.push({ vs, destination: d, location, mirror });
  };
  for (const proto of ['tcp', 'tls', 'http']) {
    asArray(vs.spec?.[proto]).forEach((route, r) => {
      asArray(route?.route).forEach((rt, i) => add(rt?.destination, `/spec/${proto}/${r}/route/${i}/destination`, false));
    });
  }
  asArray(vs.spec?.http).forEach((route, r) => {
    add(route?.mirror, `/spec/http/${r}/mirror`, true);
    asArray(route?.mirrors).forEach((m, i) => add(m?.destination, `/spec/http/${r}/mirrors/${i}/destination`, true));
  });
  return out;
}

/** What the analyzer finds for a destination: nothing wrong, host not found, port not found, port required. */
export type DestinationProblem =
  | { readonly kind: 'host'; readonly fqdn: string }
  | { readonly kind: 'port'; readonly fqdn: string; readonly port: number; readonly entry: HostEntry }
  | { readonly kind: 'port-required'; readonly fqdn: string; readonly entry: HostEntry };

/**
 * The problem of a destination, judged only where the app can tell (`MeshObjects.judgesHost`), or
 * undefined. Same checks as destinationhosts.go analyzeVirtualService / checkServiceEntryPorts:
 * host not visible to the VirtualService's namespace (IST0101), port number not among the
 * service's ports (IST0101), no port while the service has several (IST0112).
 */
export function destinationProblem(objects: MeshObjects, d: VsDestination): DestinationProblem | undefined {
  const ns = nsOf(d.vs);
  const fqdn = resolveHost(d.destination.host, ns);
  const entry = objects.destinationHost(ns, d.vs.spec?.exportTo, d.destination.host);
  if (!entry) return objects.judgesHost(fqdn) ? { kind: 'host', fqdn } : undefined;
  const port = d.destination.port?.number;
  if (port === undefined || port === null) return entry.ports.length > 1 ? { kind: 'port-required', fqdn, entry } : undefined;
  return entry.ports.includes(Number(port)) ? undefined : { kind: 'port', fqdn, port: Number(port), entry };
}
