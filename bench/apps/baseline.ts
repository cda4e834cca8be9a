// The baseline variant: the same output written by hand, as a user would without cdk8s-mesh:
// cdk8s-plus-27 for the ServiceAccount, Deployments and Service, and the Istio objects as plain
// ApiObjects with literal specs. No abstraction beyond one function per service, no checks.
// The specs copy what the library emits (test snapshots; `node bench/run.mjs --check` compares
// the two outputs object by object and lists every difference).
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
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
  const versionHost = (version: string) => `${name}-${version}.${s.namespace}.svc.cluster.local`;
  const metadata = { name, labels: { app: name } };
  const trafficPolicy = {
    connectionPool: {
      tcp: { maxConnections: 1024, tcpKeepalive: { time: '300s', interval: '75s' } },
    },
    outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
  };

  const sa = new kplus.ServiceAccount(scope, 'ServiceAccount', { metadata });
  // The host's Service selects the primary (stable) version; each version has a Service of its own.
  const svc = new kplus.Service(scope, 'Service', {
    metadata,
    ports: [{ name: 'http', port: SERVICE_PORT, targetPort: PORT }],
  });
  svc.selectLabel('app', name);
  svc.selectLabel('version', STABLE);
  ApiObject.of(svc).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', 'http'));

  new ApiObject(scope, 'DestinationRule', {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata,
    spec: { host, trafficPolicy },
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
          route: [{ destination: { host: versionHost(CANARY) } }],
          timeout,
        },
        {
          name: 'default',
          route: [
            { destination: { host: versionHost(STABLE) }, weight: 100 - CANARY_WEIGHT },
            { destination: { host: versionHost(CANARY) }, weight: CANARY_WEIGHT },
          ],
          timeout,
        },
      ] : [
        { name: 'default', route: [{ destination: { host: versionHost(STABLE) } }], timeout },
      ],
    },
  });

  const versionObjects: Array<() => void> = [];
  for (const [version, image] of [[STABLE, s.image], [CANARY, s.canaryImage]]) {
    const labels = { app: name, version };
    const deployment = new kplus.Deployment(scope, `Deployment-${version}`, {
      metadata: { name: `${name}-${version}`, labels },
      replicas: 2,
      select: false,
      serviceAccount: sa,
      terminationGracePeriod: Duration.seconds(30),
      podMetadata: {
        labels: { ...labels, 'sidecar.istio.io/inject': 'true' },
        annotations: {
          'sidecar.istio.io/proxyCPU': '100m',
          'sidecar.istio.io/proxyCPULimit': '2000m',
          'sidecar.istio.io/proxyMemory': '128Mi',
          'sidecar.istio.io/proxyMemoryLimit': '1024Mi',
          'proxy.istio.io/config': '{"concurrency":2,"holdApplicationUntilProxyStarts":true,"terminationDrainDuration":"30s"}',
        },
      },
      containers: [{ name, image, portNumber: PORT }],
    });
    deployment.select(kplus.LabelSelector.of({ labels }));
    const spread = (topologyKey: string) => ({ labelSelector: { matchLabels: labels }, maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway' });
    ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints',
      [spread('topology.kubernetes.io/zone'), spread('kubernetes.io/hostname')]));
    new kplus.k8s.KubePodDisruptionBudget(scope, `DisruptionBudget-${version}`, {
      metadata: { name: `${name}-${version}`, labels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
    // the library adds each version's Service and DestinationRule once the second version exists
    versionObjects.push(() => {
      const own = new kplus.Service(scope, `Service-${version}`, {
        metadata: { name: `${name}-${version}`, labels },
        ports: [{ name: 'http', port: SERVICE_PORT, targetPort: PORT }],
      });
      own.selectLabel('app', name);
      own.selectLabel('version', version);
      ApiObject.of(own).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', 'http'));
      new ApiObject(scope, `DestinationRule-${version}`, {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: `${name}-${version}`, labels },
        spec: { host: versionHost(version), trafficPolicy },
      });
    });
  }
  versionObjects.forEach((make) => make());
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
      egress: [{
        hosts: ['istio-system/*', ...callees.flatMap((c) => [c.name, `${c.name}-${STABLE}`, `${c.name}-${CANARY}`]
          .map((n) => `${c.namespace}/${n}.${c.namespace}.svc.cluster.local`)).sort()],
      }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
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
