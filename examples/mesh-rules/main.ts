// A user's app: two services written with cdk8s-mesh and one hand-written one (storefront.yaml),
// all checked by the mesh rules at synth. The report goes to mesh-reports/, beside the outdir
// (dist/ holds manifests only); cdk8s.yaml also runs the same rules as a CLI plugin.
import { join } from 'node:path';
import { App, Chart, Include } from 'cdk8s';
import { MeshedService, MeshProtocol, MeshRules } from 'cdk8s-mesh';

const app = new App();
MeshRules.enable(app, { reportDir: join(app.outdir, '..', 'mesh-reports') });

const shop = new Chart(app, 'shop', { namespace: 'shop' });
new MeshedService(shop, 'checkout', { image: 'ghcr.io/acme/checkout:2.4.1', port: 8080, servicePort: 80 });
new MeshedService(shop, 'payments', { image: 'ghcr.io/acme/payments:1.9.0', port: 9090, protocol: MeshProtocol.GRPC });

const storefront = new Include(shop, 'storefront', { url: join(__dirname, 'storefront.yaml') });
// Kept in the report, with the reason, instead of silently ignored.
MeshRules.suppress(storefront, 'MESH-VS-002', 'storefront product URLs are matched by regex until the /p/ prefix migration');

app.synth();
