// The annotation values the injector validates before it injects a pod, and how
// (pkg/kube/inject/validate.go AnnotationValidation, istio/istio 1.30.3). An invalid one fails the
// injection (inject.go RunTemplate: "Injection failed due to invalid annotations"), and the webhook,
// with `failurePolicy: Fail`, rejects the pod.
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { isObject } from '../private/json';

type Check = (value: string) => string | undefined;

/** Go strconv.ParseUint(value, 10, bits). */
function parseUint(value: string, bits: number): number | undefined {
  if (!/^[0-9]+$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 2 ** bits - 1 ? n : undefined;
}

const uint32: Check = (v) => (parseUint(v, 32) === undefined ? 'not an unsigned 32-bit integer' : undefined);

/** Go strconv.ParseBool. */
const bool: Check = (v) => (['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v) ? undefined : 'not a boolean');

/** validate.go parsePort: trimmed, 0-65535. */
const port = (v: string) => parseUint(v.trim(), 16);

/** validate.go parsePorts: a comma-separated list of ports (empty is fine). */
const portList: Check = (v) => {
  const s = v.trim();
  if (s === '') return undefined;
  const bad = s.split(',').find((p) => port(p) === undefined);
  return bad === undefined ? undefined : `failed parsing port '${bad}'`;
};

/** Go netip.ParsePrefix: `addr/bits`, no zone, no leading zeros in IPv4 octets or bits. */
function parsePrefix(cidr: string): boolean {
  const m = /^([^/]+)\/([0-9]+)$/.exec(cidr);
  if (!m || (m[2].length > 1 && m[2].startsWith('0'))) return false;
  const bits = Number(m[2]);
  const v = isIP(m[1]);
  if (v === 4) return bits <= 32 && m[1].split('.').every((o) => o === '0' || !o.startsWith('0'));
  return v === 6 && !m[1].includes('%') && bits <= 128;
}

/** validate.go validateCIDRList (empty is fine). */
const cidrList: Check = (v) => {
  if (v === '') return undefined;
  const bad = v.split(',').find((c) => !parsePrefix(c));
  return bad === undefined ? undefined : `failed parsing cidr '${bad}'`;
};

/** pkg/util/net/ip.go ValidateInterfaceNames. */
const interfaces: Check = (v) => {
  if (v === '') return undefined;
  for (const raw of v.split(',')) {
    const i = raw.trim();
    if (i === '') return 'empty interface name';
    if (i.length > 15) return `interface name "${i}" too long (max 15 chars)`;
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]*$/.test(i)) return `interface name "${i}" contains invalid characters`;
  }
  return undefined;
};

/**
 * Kubernetes resource.ParseQuantity (k8s.io/apimachinery/pkg/api/resource/quantity.go): a signed
 * decimal number with a binary (Ki...Ei), decimal (n, u, m, k, M...E) or exponent suffix.
 */
const quantity: Check = (v) => (/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/.test(v) ? undefined : 'not a Kubernetes quantity (e.g. 100m, 128Mi)');

/**
 * validate.go validateProxyConfig, in part: the value must read as a ProxyConfig (JSON or YAML
 * object). The field checks of agent.ValidateMeshConfigProxyConfig are not repeated here.
 */
const proxyConfig: Check = (v) => {
  try {
    return isObject(JSON.parse(v)) ? undefined : 'not a ProxyConfig object';
  } catch {
    try {
      const doc = createRequire(require.resolve('cdk8s'))('yaml').parseDocument(v);
      if (doc.errors.length) return 'not readable as YAML';
      const o = doc.toJSON();
      return o === null || isObject(o) ? undefined : 'not a ProxyConfig object';
    } catch {
      return 'not readable as YAML';
    }
  }
};

/** validate.go AnnotationValidation. */
export const ANNOTATION_VALIDATION: Record<string, Check> = {
  'sidecar.istio.io/interceptionMode': (v) => (['REDIRECT', 'TPROXY', 'NONE'].includes(v) ? undefined : 'interceptionMode invalid, use REDIRECT,TPROXY,NONE'),
  'status.sidecar.istio.io/port': (v) => (port(v) === undefined ? `failed parsing port '${v}'` : undefined),
  'readiness.status.sidecar.istio.io/initialDelaySeconds': uint32,
  'readiness.status.sidecar.istio.io/periodSeconds': uint32,
  'readiness.status.sidecar.istio.io/failureThreshold': uint32,
  'traffic.sidecar.istio.io/includeOutboundIPRanges': (v) => (v === '*' ? undefined : cidrList(v)),
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': cidrList,
  'traffic.sidecar.istio.io/includeInboundPorts': (v) => (v === '*' ? undefined : portList(v)),
  'traffic.sidecar.istio.io/excludeInboundPorts': portList,
  'traffic.sidecar.istio.io/excludeOutboundPorts': portList,
  'traffic.sidecar.istio.io/excludeInterfaces': interfaces,
  'traffic.sidecar.istio.io/kubevirtInterfaces': interfaces,
  'istio.io/reroute-virtual-interfaces': interfaces,
  'prometheus.istio.io/merge-metrics': bool,
  'proxy.istio.io/config': proxyConfig,
  'sidecar.istio.io/proxyCPU': quantity,
  'sidecar.istio.io/proxyMemory': quantity,
  'sidecar.istio.io/proxyCPULimit': quantity,
  'sidecar.istio.io/proxyMemoryLimit': quantity,
};
