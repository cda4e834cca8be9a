// A user's app: checkout v3 released as a canary of v2. Ordinary traffic is split 90/10, and
// testers reach v3 on demand with the header `x-canary: true`. The release follows a plan: a
// pipeline moves it on by changing currentStep (0 rolls back to v2, 5 promotes v3).
// A second service shows a dark launch: search v2 gets no users, only a 20% shadow copy.
import { App, Chart, Duration } from 'cdk8s';
import { CanaryRelease, HeaderMatch, MeshedService, RetryPolicy } from 'cdk8s-mesh';

const app = new App();
const shop = new Chart(app, 'shop', { namespace: 'shop' });

const checkout = new MeshedService(shop, 'checkout', {
  image: 'ghcr.io/acme/checkout:2.4.1',
  port: 8080,
  version: 'v2',
  replicas: 3,
  // carried over to both the header route and the weighted route
  timeout: Duration.seconds(5),
  retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(2) }),
});
checkout.addVersion('v3', { image: 'ghcr.io/acme/checkout:3.0.0', replicas: 1 });

new CanaryRelease(shop, 'checkout-canary', {
  service: checkout,
  stableVersion: 'v2',
  canaryVersion: 'v3',
  steps: [1, 10, 25, 50, 100],
  currentStep: 2, // 10% to v3, 90% to v2
  headerOverride: HeaderMatch.exact('x-canary', 'true'),
});

const search = new MeshedService(shop, 'search', {
  image: 'ghcr.io/acme/search:1.8.0',
  port: 8080,
  version: 'v1',
});
search.addVersion('v2', { image: 'ghcr.io/acme/search:2.0.0-beta.3', replicas: 1 });

new CanaryRelease(shop, 'search-shadow', {
  service: search,
  canaryVersion: 'v2',
  canaryWeight: 0,
  mirrorPercent: 20,
  headerOverride: HeaderMatch.none(),
});

app.synth();
