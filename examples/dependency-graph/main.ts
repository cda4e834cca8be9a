// A user's app: a shop whose services say who they call. From that one fact the library writes a
// Sidecar per workload (config only for its dependencies), an AuthorizationPolicy per callee
// (only its declared callers), checks the connection budget at synth, and writes a mesh report.
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import {
  CallerIdentity, DefaultDeny, DependencyGraph, ExternalProtocol, ExternalService, MeshedService, MeshProtocol, TrafficPolicy,
} from 'cdk8s-mesh';

const app = new App();
const shop = new Chart(app, 'shop', { namespace: 'shop' });
const pay = new Chart(app, 'payments', { namespace: 'payments' });

const frontend = new MeshedService(shop, 'frontend', { image: 'ghcr.io/acme/frontend:3.2.0', port: 8080, replicas: 3 });
const checkout = new MeshedService(shop, 'checkout', { image: 'ghcr.io/acme/checkout:2.4.1', port: 8080, replicas: 3 });
const inventory = new MeshedService(shop, 'inventory', { image: 'ghcr.io/acme/inventory:1.7.0', port: 9000, protocol: MeshProtocol.GRPC });
const payments = new MeshedService(pay, 'payments', { image: 'ghcr.io/acme/payments:1.9.0', port: 9090, protocol: MeshProtocol.GRPC });

// Outside the cluster: a ServiceEntry. Another team's database: a cluster Service with a capacity.
const stripe = new ExternalService(pay, 'stripe', { host: 'api.stripe.com', ports: [{ number: 443, protocol: ExternalProtocol.TLS }] });
const ledgerDb = new ExternalService(pay, 'ledger-db', {
  host: 'ledger-db.data.svc.cluster.local',
  ports: [{ number: 5432, protocol: ExternalProtocol.TCP }],
  endpoints: 3,
  maxInboundConnections: 100, // Postgres max_connections, less what the DBAs keep
  // Written as a DestinationRule in payments' namespace for payments' pods only: at most 20 per
  // proxy to this port's cluster, soft (Envoy may exceed it by one per endpoint per worker: + 3 × 2)
  trafficPolicy: TrafficPolicy.of({ maxConnections: 20 }),
});

frontend.talksTo(checkout, { concurrentRequests: 20 }); // HTTP/1.1: a connection per request in flight
checkout.talksTo(payments);
checkout.talksTo(inventory);
inventory.talksTo(checkout); // cycles are allowed
payments.talksTo(stripe, { connections: 4 }); // TLS is passed through: TCP, 1:1 with the app's connections
payments.talksTo(ledgerDb, { connections: 10 }); // its database pool, per replica

// Beyond declared callers: the ingress gateway reaches the frontend; payments, in another
// namespace, accepts checkout explicitly.
frontend.allowCallsFrom(CallerIdentity.ingressGateway());
payments.allowCallsFrom(CallerIdentity.of(checkout));

// Opt-in: anything not allowed above is denied in both namespaces.
new DefaultDeny(shop, 'default-deny');
new DefaultDeny(pay, 'default-deny');

app.synth();
// The mesh report (Markdown and JSON) in mesh-reports/, beside the outdir (dist/, which holds
// Kubernetes manifests only): per edge and cluster a floor and a worst case, per callee the worst
// case against its capacity, and estimates with their method.
DependencyGraph.of(app).writeReport(join(app.outdir, '..', 'mesh-reports'));
