/**
 * Whether two hosts overlap: equal, or one wildcard covers the other (`*.com` and `foo.com`,
 * `*.com` and `*.foo.com`). Istio: pkg/config/host/name.go `Name.Matches`. Shared by the rules
 * (conflicting VirtualService hosts) and ServiceIngress (hosts claimed by two entries). @internal
 */
export function hostsOverlap(a: string, b: string): boolean {
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}
