// Plain-JSON builders for rule tests: objects as any manifest would have them.
import { MeshObjects } from '../../src/rules/mesh-objects';
import { KObject, MeshRule, RuleHit } from '../../src/rules/rule';

/** Runs one rule over plain objects. */
export function check(rule: MeshRule, ...objects: KObject[]): RuleHit[] {
  return rule.check(new MeshObjects(objects));
}

/** The hits as `Kind/ns/name location: message` lines, for readable assertions. */
export function lines(hits: RuleHit[]): string[] {
  return hits.map((h) => `${h.object.kind}/${h.object.metadata?.namespace ?? 'default'}/${h.object.metadata?.name} ${h.location}: ${h.message}`);
}

export function deployment(name: string, opts: {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownAnnotations?: Record<string, string>;
  ownLabels?: Record<string, string>;
  spec?: any;
  containers?: any[];
  initContainers?: any[];
} = {}): KObject {
  const labels = opts.labels ?? { 'app': name, 'version': 'v1', 'sidecar.istio.io/inject': 'true' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: opts.namespace ?? 'shop', labels: opts.ownLabels, annotations: opts.ownAnnotations },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: opts.annotations },
        spec: {
          containers: opts.containers ?? [{ name: 'app', image: 'app:1' }],
          initContainers: opts.initContainers,
          ...opts.spec,
        },
      },
    },
  };
}

export function service(name: string, ports: any[] = [{ name: 'http', port: 80, appProtocol: 'http' }], ns = 'shop',
  selector: Record<string, string> = { app: name }): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports } };
}

export function namespaceObject(name: string, labels: Record<string, string> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function virtualService(name: string, spec: any, ns = 'shop'): KObject {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: ns }, spec };
}

export function destinationRule(name: string, spec: any, ns = 'shop'): KObject {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace: ns }, spec };
}

export function peerAuthentication(name: string, spec: any, ns = 'shop'): KObject {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace: ns }, spec };
}

export function telemetry(name: string, spec: any, ns = 'istio-system'): KObject {
  return { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name, namespace: ns }, spec };
}

export function istioOperator(spec: any): KObject {
  return { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'control-plane', namespace: 'istio-system' }, spec };
}

/** An IstioOperator every control-plane rule is happy with. */
export function goodOperator(extra: any = {}): KObject {
  return istioOperator({
    components: {
      pilot: { k8s: { hpaSpec: { minReplicas: 2 }, affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } } } },
    },
    ...extra,
  });
}
