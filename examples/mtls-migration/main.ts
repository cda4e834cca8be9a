// A user's app: a shop moving its mesh from PERMISSIVE to STRICT mutual TLS in three stages.
// The whole plan is here; STAGE says which one is deployed. Move to the next stage only after
// the checks for the current one pass in the cluster (docs/mtls-migration.md).
import { App, Chart } from 'cdk8s';
import { MeshedService, MeshProtocol, MtlsMigration, MtlsMode, MtlsPolicy, MtlsScope, OutsideClient } from 'cdk8s-mesh';

const STAGE: number = 2;

const app = new App();
const payments = new Chart(app, 'payments', { namespace: 'payments' });
const orders = new Chart(app, 'orders', { namespace: 'orders' });
const reports = new Chart(app, 'reports', { namespace: 'reports' });
const platform = new Chart(app, 'platform');

new MeshedService(payments, 'payments', { image: 'ghcr.io/acme/payments:1.9.0', port: 9090, protocol: MeshProtocol.GRPC });
const ledger = new MeshedService(payments, 'ledger', { image: 'ghcr.io/acme/ledger:3.1.0', port: 8080 });
const ordersApi = new MeshedService(orders, 'orders', { image: 'ghcr.io/acme/orders:5.2.0', port: 8080 });
new MeshedService(orders, 'cart', { image: 'ghcr.io/acme/cart:2.0.3', port: 8080 });
// The nightly reporter ran without a sidecar until stage 3.
new MeshedService(reports, 'reporter', { image: 'ghcr.io/acme/reporter:0.9.1', port: 8080, injectSidecar: STAGE >= 3 });

// A CronJob of another team, without a sidecar: it calls the orders API in plaintext until OPS-42 is done.
const batchExport = OutsideClient.named('legacy', 'batch-export', { calls: [MtlsScope.workload(ordersApi)] });

// The ledger's metrics port is scraped by a Prometheus outside the mesh: kept PERMISSIVE at every stage.
const ledgerStrict: MtlsPolicy = {
  scope: MtlsScope.workload(ledger),
  portExceptions: [{ port: 9102, reason: 'finance Prometheus (no mesh certificate) scrapes /metrics' }],
};

// Stage 1: the mesh stays PERMISSIVE; payments, which only meshed services call, goes STRICT.
const stage1: MtlsPolicy[] = [{ scope: MtlsScope.namespace('payments') }, ledgerStrict];
// Stage 2: orders goes STRICT too, except the one workload the outside client still calls.
const stage2: MtlsPolicy[] = [
  ...stage1,
  { scope: MtlsScope.namespace('orders') },
  { scope: MtlsScope.workload(ordersApi), mode: MtlsMode.PERMISSIVE, reason: 'legacy/batch-export calls it in plaintext until OPS-42' },
];
// Stage 3: nothing is outside the mesh any more; the mesh goes STRICT and the namespace policies retire.
const stage3: MtlsPolicy[] = [ledgerStrict];

new MtlsMigration(platform, 'mtls', {
  meshMode: STAGE >= 3 ? MtlsMode.STRICT : MtlsMode.PERMISSIVE,
  policies: STAGE === 1 ? stage1 : STAGE === 2 ? stage2 : stage3,
  outsideClients: STAGE >= 3 ? [] : [batchExport],
});

app.synth();
