// A user's app: the checkout service of a shop, meshed and tuned, with a second version deployed.
import { App, Chart, Duration } from 'cdk8s';
import { MeshedService, MeshProtocol, MeshRules, RetryPolicy, SidecarTuning, TrafficPolicy } from 'cdk8s-mesh';
import { Cpu } from 'cdk8s-plus-27';

const app = new App();
// The mesh rules check every object the app writes; errors fail synth before any YAML is written.
MeshRules.enable(app);
const shop = new Chart(app, 'shop', { namespace: 'shop' });

const checkout = new MeshedService(shop, 'checkout', {
  image: 'ghcr.io/acme/checkout:2.4.1',
  port: 8080,
  servicePort: 80,
  version: 'v2',
  replicas: 3,
  timeout: Duration.seconds(5),
  retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(2) }),
  sidecar: SidecarTuning.of({ concurrency: 2, cpu: { request: Cpu.millis(200), limit: Cpu.millis(2000) } }),
  trafficPolicy: TrafficPolicy.of({ maxConnections: 200 }),
});
checkout.addVersion('v3', { image: 'ghcr.io/acme/checkout:3.0.0-rc.1', replicas: 1 });

new MeshedService(shop, 'payments', {
  image: 'ghcr.io/acme/payments:1.9.0',
  port: 9090,
  protocol: MeshProtocol.GRPC,
});

app.synth();
