// The baseline variant: the same output written by hand, as a user would without cdk8s-mesh:
// cdk8s-plus-27 for the ServiceAccount, Deployments and Service, and the Istio objects as plain
// ApiObjects with literal specs. No abstraction beyond one function per service, no checks.
// The specs copy what the library emits (test snapshots; `node bench/run.mjs --check` compares
// the two outputs object by object and lists every difference).
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BenchOptions, BenchReport, CANARY, CANARY_WEIGHT, meshShape, Phases, PORT, SERVICE_PORT, ServiceSpec, STABLE, TIMEOUT_SECONDS } from './common';

export function run(opts: BenchOptions): BenchReport {
  // The baseline has no rules: it mirrors only what changes the objects.
  const features = ['versions', ...opts.mirror.filter((f) => f === 'canary' || f === 'talksTo')];
  const canary = features.includes('canary');
  const graph = features.includes('talksTo');
  const phases = new Phases();

  const app = new App({ outdir: opts.outdir });
  for (const ns of meshShape(opts.n, opts.perNamespace)) {
    const chart = new Chart(app, ns.namespace, { namespace: ns.namespace });
    for (const s of ns.services) {
      service(chart, s, canary);
    }
    if (graph) {
      for (const s of ns.services) {
        const callers = ns.services.filter((c) => c.dependsOn.includes(s.index));
        const callees = ns.services.filter((c) => s.dependsOn.includes(c.index));
        dependencies(chart, s, callers, callees);
      }
    }
  }
  phases.end('build');
  app.synth();
  phases.end('synth');
  return { features, phases: phases.result };
}

function service(chart: Chart, s: ServiceSpec, canary: boolean): void {
  const name = s.name;
  // One scope per service, as a user grouping their objects would; its ids give the same
  // construct paths (and so the same cdk8s.io/metadata.addr pod labels) as the library's.
  const scope = new Construct(chart, name);
  const host = `${name}.${s.namespace}.svc.cluster.local`;
  const metadata = { name, labels: { app: name } };

  const sa = new kplus.ServiceAccount(scope, 'ServiceAccount', { metadata });
  const svc = new kplus.Service(scope, 'Service', {
    metadata,
    ports: [{ name: 'http', port: SERVICE_PORT, targetPort: PORT }],
  });
  svc.selectLabel('app', name);
  ApiObject.of(svc).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', 'http'));

  new ApiObject(scope, 'DestinationRule', {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata,
    spec: {
      host,
      trafficPolicy: {
        connectionPool: {
          tcp: { maxConnections: 1024, tcpKeepalive: { time: '300s', interval: '75s' } },
        },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      },
      subsets: [
        { name: STABLE, labels: { app: name, version: STABLE } },
        { name: CANARY, labels: { app: name, version: CANARY } },
      ],
    },
  });

  const timeout = `${TIMEOUT_SECONDS}s`;
  new ApiObject(scope, 'VirtualService', {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata,
    spec: {
      hosts: [host],
      http: canary ? [
        {
          name: `${CANARY}-by-header`,
          match: [{ headers: { 'x-canary': { exact: 'true' } } }],
          route: [{ destination: { host, subset: CANARY } }],
          timeout,
        },
        {
          name: 'default',
          route: [
            { destination: { host, subset: STABLE }, weight: 100 - CANARY_WEIGHT },
            { destination: { host, subset: CANARY }, weight: CANARY_WEIGHT },
          ],
          timeout,
        },
      ] : [
        { name: 'default', route: [{ destination: { host, subset: STABLE } }], timeout },
      ],
    },
  });

  for (const [version, image] of [[STABLE, s.image], [CANARY, s.canaryImage]]) {
    const labels = { app: name, version };
    const deployment = new kplus.Deployment(scope, `Deployment-${version}`, {
      metadata: { name: `${name}-${version}`, labels },
      replicas: 2,
      select: false,
      serviceAccount: sa,
      podMetadata: {
        labels: { ...labels, 'sidecar.istio.io/inject': 'true' },
        annotations: {
          'sidecar.istio.io/proxyCPU': '100m',
          'sidecar.istio.io/proxyCPULimit': '2000m',
          'sidecar.istio.io/proxyMemory': '128Mi',
          'sidecar.istio.io/proxyMemoryLimit': '512Mi',
          'proxy.istio.io/config': '{"concurrency":2,"holdApplicationUntilProxyStarts":true}',
        },
      },
      containers: [{ name, image, portNumber: PORT }],
    });
    deployment.select(kplus.LabelSelector.of({ labels }));
  }
}

/**
 * Least-privilege scoping and authorization from the dependencies, by hand: a Sidecar whose
 * egress holds only the callees (and the control plane), and an AuthorizationPolicy allowing
 * only the callers' ServiceAccounts, as the library writes them (control plane first, then the
 * callees sorted; callers' principals sorted).
 */
function dependencies(chart: Chart, s: ServiceSpec, callers: ServiceSpec[], callees: ServiceSpec[]): void {
  const metadata = { name: s.name, labels: { app: s.name } };
  new ApiObject(chart, `${s.name}-sidecar`, {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata,
    spec: {
      workloadSelector: { labels: { app: s.name } },
      egress: [{ hosts: ['istio-system/*', ...callees.map((c) => `${c.namespace}/${c.name}.${c.namespace}.svc.cluster.local`).sort()] }],
    },
  });
  new ApiObject(chart, `${s.name}-authz`, {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata,
    spec: {
      selector: { matchLabels: { app: s.name } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: callers.map((c) => `cluster.local/ns/${c.namespace}/sa/${c.name}`).sort() } }] }],
    },
  });
}
