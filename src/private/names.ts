import { IConstruct } from 'constructs';
import { fail } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RFC1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** True when `value` is a DNS-1123 label: lowercase alphanumerics and '-', at most 63 characters. */
export function isDnsLabel(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

/**
 * DNS-1123 labels joined by dots, as k8s.io/apimachinery pkg/util/validation/validation.go
 * `dns1123SubdomainFmt` (`dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"`): every dot-separated
 * part starts and ends with a letter or digit, so `a..b` and `a.-b` are refused.
 */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * True when `value` is a DNS-1123 subdomain (ServiceAccount and other object names): at most 253
 * characters (`DNS1123SubdomainMaxLength`). ServiceAccount names are checked with it by the API
 * server (apimachinery pkg/api/validation `ValidateServiceAccountName = NameIsDNSSubdomain`).
 */
export function isDnsSubdomain(value: string): boolean {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/**
 * True when `value` is a host istiod accepts as a ServiceEntry or DestinationRule host without a
 * wildcard: a DNS-1123 subdomain of at least two labels, each label at most 63 characters, and a
 * top-level label that is not all digits (an IP address is not a host). istio/istio
 * pkg/config/validation/agent/validation.go (1.22.8 and 1.30.3): `ValidateWildcardDomain` and
 * `ValidateFQDN` check every label with `IsDNS1123Label` in `ValidateDNS1123Labels`, which also
 * refuses an all-numeric top-level domain.
 */
export function isFqdnHost(value: string): boolean {
  if (!isDnsSubdomain(value)) return false;
  const labels = value.split('.');
  return labels.length >= 2 && labels.every((l) => l.length <= 63) && !/^[0-9]+$/.test(labels[labels.length - 1]);
}

/** Throws unless `value` is a DNS-1123 label (namespaces, versions, revisions). */
export function checkDnsLabel(scope: IConstruct, prop: string, value: string): string {
  if (!isDnsLabel(value)) {
    fail(scope, prop, value, 'must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)',
      `rename it, for example ${JSON.stringify(suggestLabel(value, false, prop))}`);
  }
  return value;
}

/** Throws unless `value` is an RFC 1035 label, as Kubernetes requires of a Service name. */
export function checkServiceName(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length > 63 || !RFC1035_LABEL.test(value)) {
    fail(scope, prop, value, 'must be a DNS-1035 label usable as a Service name (lowercase letters, digits and \'-\', starting with a letter, at most 63 characters)',
      `rename it, for example ${JSON.stringify(suggestLabel(value, true))}`);
  }
  return value;
}

/**
 * A valid name close to `value`, for a fix. A value that is no string, or has nothing usable
 * (`''`, `'--'`), gets an example for the prop instead: never `"s-"` or `"undefined"`.
 */
export function suggestLabel(value: unknown, letterFirst = false, prop = ''): string {
  const example = /version/i.test(prop) ? 'v2' : /namespace/i.test(prop) ? 'shop' : /revision/i.test(prop) ? 'canary' : 'my-service';
  if (typeof value !== 'string') return example;
  let s = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  if (letterFirst && s && !/^[a-z]/.test(s)) s = `s-${s}`.slice(0, 63).replace(/-+$/, '');
  const ok = letterFirst ? RFC1035_LABEL.test(s) : DNS1123_LABEL.test(s);
  return ok && s.length <= 63 ? s : example;
}

const CLUSTER_HOST = /^([a-z]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\.cluster\.local$/;

/** The Service a cluster host names (`<name>.<namespace>.svc.cluster.local`), or undefined for any other host. */
export function clusterServiceOf(host: string): { readonly name: string; readonly namespace: string } | undefined {
  const m = CLUSTER_HOST.exec(host);
  return m ? { name: m[1], namespace: m[3] } : undefined;
}
