// A user's app: the storefront exposed at shop.example.com over TLS, with a 10% canary that
// holds from the edge. The gateway's route is the storefront's own VirtualService (one per host),
// bound to the mesh and to the Gateway, so the split and the header override apply to requests
// from the internet as they do inside the mesh. Clients that bypass the VirtualService reach the
// stable version only (the host's Service follows the primary version).
import { App, Chart, Duration, YamlOutputType } from 'cdk8s';
import {
  CallerIdentity, CanaryRelease, HeaderMatch, IngressTls, MeshedService, MeshRules, RetryPolicy, ServiceIngress, TunedControlPlane,
} from 'cdk8s-mesh';

// istioctl wants the IstioOperator alone in its file: one file per resource.
const app = new App({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
MeshRules.enable(app);

// The control plane installs the ingress gateway (2 to 5 replicas) in istio-system, the root namespace.
new TunedControlPlane(new Chart(app, 'control-plane'), 'istio', { tag: '1.30.3' });

const shop = new Chart(app, 'shop', { namespace: 'shop' });
const storefront = new MeshedService(shop, 'storefront', {
  image: 'ghcr.io/acme/storefront:5.2.0',
  port: 8080,
  version: 'v5',
  replicas: 3,
  timeout: Duration.seconds(10),
  retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(4) }),
});
storefront.addVersion('v6', { image: 'ghcr.io/acme/storefront:6.0.0', replicas: 1 });

new CanaryRelease(shop, 'storefront-canary', {
  service: storefront,
  canaryVersion: 'v6',
  canaryWeight: 10,
  headerOverride: HeaderMatch.exact('x-canary', 'true'),
});

new ServiceIngress(shop, 'storefront-ingress', {
  service: storefront,
  hosts: ['shop.example.com'],
  // the Secret (tls.crt, tls.key) lives in istio-system, beside the gateway
  tls: IngressTls.fromSecret('shop-example-com-tls'),
});

// Only the gateway may call the storefront from outside its namespace.
storefront.allowCallsFrom(CallerIdentity.ingressGateway());

app.synth();
