// A user's app: the mesh's control plane. `istioctl install -f dist/control-plane/istio.k8s.yaml`
// installs it; `kubectl apply -f dist/control-plane/mesh-telemetry.k8s.yaml` then sets trace
// sampling mesh-wide. istioctl takes a file with the IstioOperator alone, hence two charts.
import { App, Chart, Size } from 'cdk8s';
import { StatsInclusion, TracingProvider, TracingSampling, TunedControlPlane } from 'cdk8s-mesh';
import { Cpu } from 'cdk8s-plus-27';

const app = new App();
const istio = new Chart(app, 'istio');
const telemetry = new Chart(app, 'mesh-telemetry');

new TunedControlPlane(istio, 'control-plane', {
  tag: '1.30.3',
  istiod: {
    minReplicas: 3,
    cpu: { request: Cpu.millis(500) },
    memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) },
  },
  statsInclusion: StatsInclusion.of({
    prefixes: ['cluster.outbound'],
    regexps: ['.*outlier_detection.*', '.*upstream_rq_retry.*'],
  }),
  tracing: TracingSampling.telemetry(1, TracingProvider.openTelemetry('otel', 'otel-collector.observability.svc.cluster.local')),
  telemetryChart: telemetry,
  ingressGateway: {
    minReplicas: 2,
    maxReplicas: 10,
    cpu: { request: Cpu.millis(200), limit: Cpu.units(2) },
    memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
  },
});

app.synth();
