import { Duration, Size } from 'cdk8s';
import { Cpu, EnvValue, Probe } from 'cdk8s-plus-27';
import { IstioApiVersion, MeshedService, MeshProtocol, RetryPolicy, SidecarTuning, TrafficPolicy } from '../src';
import { all, chart, expectMeshError, only, synth } from './util';

describe('MeshedService', () => {
  test('defaults: a meshed, tuned workload with one DestinationRule and one VirtualService', () => {
    const { chart: c } = chart();
    new MeshedService(c, 'checkout', { image: 'ghcr.io/acme/checkout:1.0.0', port: 8080 });
    const objs = synth(c);

    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/checkout-v1', 'DestinationRule/checkout', 'Service/checkout', 'ServiceAccount/checkout', 'VirtualService/checkout',
    ]);
    const dep = only(objs, 'Deployment');
    expect(dep.spec.replicas).toBe(2);
    const tpl = dep.spec.template;
    // injection is a pod template label, not an annotation on the Deployment
    expect(tpl.metadata.labels).toMatchObject({ 'app': 'checkout', 'version': 'v1', 'sidecar.istio.io/inject': 'true' });
    expect(dep.metadata.annotations?.['sidecar.istio.io/inject']).toBeUndefined();
    expect(tpl.metadata.annotations).toEqual({
      'proxy.istio.io/config': '{"concurrency":2,"holdApplicationUntilProxyStarts":true}',
      'sidecar.istio.io/proxyCPU': '100m',
      'sidecar.istio.io/proxyCPULimit': '2000m',
      'sidecar.istio.io/proxyMemory': '128Mi',
      'sidecar.istio.io/proxyMemoryLimit': '512Mi',
    });
    expect(tpl.spec.serviceAccountName).toBe('checkout');
    expect(dep.spec.selector.matchLabels).toEqual({ app: 'checkout', version: 'v1' });

    const svc = only(objs, 'Service');
    // the host's Service follows the primary version (the only one here): the same pods as { app }
    expect(svc.spec.selector).toEqual({ app: 'checkout', version: 'v1' });
    expect(svc.spec.ports).toEqual([{ name: 'http', appProtocol: 'http', port: 8080, targetPort: 8080 }]);

    const dr = only(objs, 'DestinationRule');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.spec.host).toBe('checkout.shop.svc.cluster.local');
    // no subsets: versions are Services of their own once there are two
    expect(dr.spec.subsets).toBeUndefined();
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    expect(dr.spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(5);
    expect(dr.spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(1024);
    expect(dr.spec.trafficPolicy.connectionPool.tcp.tcpKeepalive).toEqual({ time: '300s', interval: '75s' });
    expect(dr.spec.trafficPolicy.connectionPool.http).toBeUndefined(); // no maxRequestsPerConnection

    const vs = only(objs, 'VirtualService');
    expect(vs.spec.hosts).toEqual(['checkout.shop.svc.cluster.local']);
    expect(vs.spec.gateways).toBeUndefined(); // mesh-bound
    expect(vs.spec.http).toEqual([{ name: 'default', route: [{ destination: { host: 'checkout.shop.svc.cluster.local' } }] }]);
    expect(JSON.stringify(objs)).not.toMatch(/regex|"\*"/);

    expect(objs).toMatchSnapshot();
  });

  test('every prop reaches the YAML', () => {
    const { chart: c } = chart(undefined);
    new MeshedService(c, 'ledger', {
      image: 'ghcr.io/acme/ledger:3.1.0',
      port: 9000,
      name: 'ledger-api',
      servicePort: 80,
      protocol: MeshProtocol.GRPC,
      version: 'v7',
      replicas: 4,
      namespace: 'finance',
      serviceAccountName: 'ledger-runner',
      sidecar: SidecarTuning.of({
        concurrency: 1,
        cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
        memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
        holdApplicationUntilProxyStarts: false,
      }),
      trafficPolicy: TrafficPolicy.of({
        maxConnections: 50,
        maxPendingRequests: 10,
        maxRequests: 100,
        maxRequestsPerConnection: 1000,
        idleTimeout: Duration.minutes(10),
        tcpKeepaliveTime: Duration.minutes(2),
        tcpKeepaliveInterval: Duration.seconds(30),
        maxConnectionDuration: Duration.hours(1),
        consecutive5xxErrors: 3,
        interval: Duration.seconds(5),
        baseEjectionTime: Duration.minutes(1),
        maxEjectionPercent: 34,
      }),
      timeout: Duration.millis(1500),
      retries: RetryPolicy.of({ attempts: 3, perTryTimeout: Duration.millis(500), retryOn: ['connect-failure', '503'] }),
      envVariables: { LOG_LEVEL: EnvValue.fromValue('debug') },
      command: ['/bin/ledger'],
      args: ['--serve'],
      resources: { cpu: { request: Cpu.millis(500), limit: Cpu.units(2) } },
      readiness: Probe.fromHttpGet('/ready'),
      liveness: Probe.fromTcpSocket(),
      securityContext: { user: 1000, group: 1000 },
    });
    const objs = synth(c);
    expect(all(objs, 'ServiceAccount')).toHaveLength(0); // an existing one is used
    const dep = only(objs, 'Deployment', 'ledger-api-v7');
    expect(dep.metadata.namespace).toBe('finance');
    expect(dep.spec.replicas).toBe(4);
    const pod = dep.spec.template;
    expect(pod.spec.serviceAccountName).toBe('ledger-runner');
    expect(pod.metadata.labels).toMatchObject({ app: 'ledger-api', version: 'v7' });
    expect(pod.metadata.annotations).toMatchObject({
      'proxy.istio.io/config': '{"concurrency":1,"holdApplicationUntilProxyStarts":false}',
      'sidecar.istio.io/proxyCPU': '250m',
      'sidecar.istio.io/proxyCPULimit': '1000m',
      'sidecar.istio.io/proxyMemory': '256Mi',
      'sidecar.istio.io/proxyMemoryLimit': '1024Mi',
    });
    const ctr = pod.spec.containers[0];
    expect(ctr).toMatchObject({
      image: 'ghcr.io/acme/ledger:3.1.0',
      command: ['/bin/ledger'],
      args: ['--serve'],
      env: [{ name: 'LOG_LEVEL', value: 'debug' }],
      ports: [{ containerPort: 9000 }],
      resources: { requests: { cpu: '500m' }, limits: { cpu: '2' } },
      securityContext: { runAsUser: 1000, runAsGroup: 1000 },
    });
    expect(ctr.readinessProbe.httpGet.path).toBe('/ready');
    expect(ctr.livenessProbe.tcpSocket.port).toBe(9000);
    const svc = only(objs, 'Service');
    expect(svc.metadata.name).toBe('ledger-api');
    expect(svc.spec.ports).toEqual([{ name: 'grpc', appProtocol: 'grpc', port: 80, targetPort: 9000 }]);

    const dr = only(objs, 'DestinationRule');
    expect(dr.spec.host).toBe('ledger-api.finance.svc.cluster.local');
    expect(dr.spec.trafficPolicy).toEqual({
      connectionPool: {
        tcp: { maxConnections: 50, maxConnectionDuration: '3600s', tcpKeepalive: { time: '120s', interval: '30s' } },
        http: { http1MaxPendingRequests: 10, http2MaxRequests: 100, maxRequestsPerConnection: 1000, idleTimeout: '600s' },
      },
      outlierDetection: { consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '60s', maxEjectionPercent: 34 },
    });
    const vs = only(objs, 'VirtualService');
    expect(vs.spec.http).toEqual([{
      name: 'default',
      route: [{ destination: { host: 'ledger-api.finance.svc.cluster.local' } }],
      timeout: '1500ms',
      retries: { attempts: 3, perTryTimeout: '500ms', retryOn: 'connect-failure,503' },
    }]);
    expect(objs).toMatchSnapshot();
  });

  test('two versions: a Service and a DestinationRule per version, the host\'s Service on the primary version, one VirtualService', () => {
    const { chart: c } = chart();
    const svc = new MeshedService(c, 'checkout', { image: 'acme/checkout:2', port: 8080, version: 'v2', replicas: 3 });
    svc.addVersion('v3', { image: 'acme/checkout:3', replicas: 1 });
    const objs = synth(c);
    expect(all(objs, 'Service').map((o) => o.metadata.name)).toEqual(['checkout', 'checkout-v2', 'checkout-v3']);
    expect(all(objs, 'DestinationRule').map((o) => `${o.metadata.name} ${o.spec.host}`)).toEqual([
      'checkout checkout.shop.svc.cluster.local', 'checkout-v2 checkout-v2.shop.svc.cluster.local', 'checkout-v3 checkout-v3.shop.svc.cluster.local',
    ]);
    // every DestinationRule carries the service's traffic policy, none has subsets
    const policies = all(objs, 'DestinationRule').map((o) => o.spec.trafficPolicy);
    expect(policies[1]).toEqual(policies[0]);
    expect(policies[2]).toEqual(policies[0]);
    expect(all(objs, 'DestinationRule').every((o) => o.spec.subsets === undefined)).toBe(true);
    expect(all(objs, 'VirtualService')).toHaveLength(1);
    const v2 = only(objs, 'Deployment', 'checkout-v2');
    const v3 = only(objs, 'Deployment', 'checkout-v3');
    expect(v2.spec.replicas).toBe(3);
    expect(v3.spec.replicas).toBe(1);
    expect(v3.spec.template.spec.containers[0].image).toBe('acme/checkout:3');
    // each version's Service selects exactly its pods; the host's Service the primary (stable) version's
    expect(only(objs, 'Service', 'checkout-v2').spec.selector).toEqual(v2.spec.selector.matchLabels);
    expect(only(objs, 'Service', 'checkout-v3').spec.selector).toEqual(v3.spec.selector.matchLabels);
    expect(only(objs, 'Service', 'checkout').spec.selector).toEqual(v2.spec.selector.matchLabels);
    expect(only(objs, 'Service', 'checkout-v3').spec.ports).toEqual(only(objs, 'Service', 'checkout').spec.ports);
    const vs = only(objs, 'VirtualService');
    expect(vs.spec.hosts).toEqual(['checkout.shop.svc.cluster.local']);
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: 'checkout-v2.shop.svc.cluster.local' } }]);
    expect(svc.versions).toEqual(['v2', 'v3']);
    expect(svc.versionHosts).toEqual(['checkout-v2.shop.svc.cluster.local', 'checkout-v3.shop.svc.cluster.local']);
    expect(svc.primaryVersion).toBe('v2');
    expect(objs).toMatchSnapshot();
  });

  test('V1BETA1 writes networking.istio.io/v1beta1 with the same spec', () => {
    const build = (v: IstioApiVersion) => {
      const { chart: c } = chart();
      new MeshedService(c, 'checkout', { image: 'acme/checkout:2', port: 8080, istioApiVersion: v });
      return synth(c);
    };
    const beta = build(IstioApiVersion.V1BETA1);
    const v1 = build(IstioApiVersion.V1);
    for (const kind of ['VirtualService', 'DestinationRule']) {
      expect(only(beta, kind).apiVersion).toBe('networking.istio.io/v1beta1');
      expect(only(v1, kind).apiVersion).toBe('networking.istio.io/v1');
      expect(only(beta, kind).spec).toEqual(only(v1, kind).spec);
    }
    expect(beta).toMatchSnapshot();
  });

  test('TCP services route with tcp rules', () => {
    const { chart: c } = chart();
    new MeshedService(c, 'db', { image: 'postgres:16', port: 5432, protocol: MeshProtocol.TCP });
    const objs = synth(c);
    const vs = only(objs, 'VirtualService');
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tcp).toEqual([{ route: [{ destination: { host: 'db.shop.svc.cluster.local' } }] }]);
    expect(only(objs, 'Service').spec.ports[0]).toMatchObject({ name: 'tcp', appProtocol: 'tcp' });
  });

  test('a workload outside the mesh gets the inject label false and no proxy annotations', () => {
    const { chart: c } = chart();
    new MeshedService(c, 'legacy', { image: 'acme/legacy:1', port: 8080, injectSidecar: false });
    const pod = only(synth(c), 'Deployment').spec.template;
    expect(pod.metadata.labels['sidecar.istio.io/inject']).toBe('false');
    expect(pod.metadata.annotations).toBeUndefined();
  });

  test('value-type factories given nothing (e.g. null from another jsii language) keep the defaults', () => {
    const { chart: c } = chart();
    new MeshedService(c, 'checkout', {
      image: 'a:1', port: 8080, sidecar: SidecarTuning.of(undefined as any), trafficPolicy: TrafficPolicy.of(undefined as any),
    });
    const objs = synth(c);
    expect(only(objs, 'DestinationRule').spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(1024);
    expect(only(objs, 'Deployment').spec.template.metadata.annotations['proxy.istio.io/config']).toBe('{"concurrency":2,"holdApplicationUntilProxyStarts":true}');
  });

  test('output is deterministic', () => {
    const build = () => {
      const { chart: c } = chart();
      const s = new MeshedService(c, 'checkout', { image: 'acme/checkout:2', port: 8080 });
      s.addVersion('v2');
      return JSON.stringify(synth(c));
    };
    expect(build()).toEqual(build());
  });

  describe('bad input', () => {
    const make = (props: any, id = 'checkout') => () => {
      const { chart: c } = chart();
      new MeshedService(c, id, { image: 'acme/checkout:1', port: 8080, ...props });
    };
    test('fails when the image is empty', () => expectMeshError(make({ image: '' }), 'test/checkout', /image must be a container image reference.*got "".*set image/));
    test('fails when the port is 0', () => expectMeshError(make({ port: 0 }), 'test/checkout', /port must be a whole number from 1 to 65535, got 0/));
    test('fails when the port is above 65535', () => expectMeshError(make({ port: 70000 }), 'test/checkout', /port must be .* got 70000/));
    test('fails when the service port is out of range', () => expectMeshError(make({ servicePort: -1 }), 'test/checkout', /servicePort must be .* got -1/));
    test('fails when replicas is negative', () => expectMeshError(make({ replicas: -1 }), 'test/checkout', /replicas must be a whole number from 0 to 2147483647, got -1/));
    test('fails when replicas is not an integer', () => expectMeshError(make({ replicas: 1.5 }), 'test/checkout', /replicas .* got 1.5/));
    test('fails when the service id is not a DNS label', () => expectMeshError(make({}, 'Checkout_Svc'), 'test/Checkout_Svc', /id must be a DNS-1035 label.*got "Checkout_Svc".*"checkout-svc"/));
    test('fails when the namespace is not a DNS label', () => expectMeshError(make({ namespace: 'Shop' }), 'test/checkout', /namespace must be a DNS-1123 label.*got "Shop"/));
    test('fails when the version is not a DNS label', () => expectMeshError(make({ version: 'V1.0' }), 'test/checkout', /version must be a DNS-1123 label.*got "V1.0"/));
    test('fails when concurrency is negative', () => expectMeshError(make({ sidecar: SidecarTuning.of({ concurrency: -1 }) }), 'test/checkout', /sidecar.concurrency must be a whole number.*got -1/));
    test('fails when concurrency is 0 without allowAllCores', () => expectMeshError(make({ sidecar: SidecarTuning.of({ concurrency: 0 }) }), 'test/checkout', /sidecar.concurrency of 0 starts one Envoy worker per node core.*allowAllCores/));
    test('concurrency 0 is accepted when explicitly allowed', () => {
      const { chart: c } = chart();
      new MeshedService(c, 'checkout', { image: 'a:1', port: 8080, sidecar: SidecarTuning.of({ concurrency: 0, allowAllCores: true }) });
      expect(only(synth(c), 'Deployment').spec.template.metadata.annotations['proxy.istio.io/config']).toContain('"concurrency":0');
    });
    test('fails when concurrency exceeds the CPU limit cores', () => expectMeshError(make({ sidecar: SidecarTuning.of({ concurrency: 4, cpu: { limit: Cpu.units(2) } }) }), 'test/checkout', /sidecar.concurrency exceeds the proxy CPU limit/));
    test('fails when the CPU limit is below the request', () => expectMeshError(make({ sidecar: SidecarTuning.of({ cpu: { request: Cpu.millis(500), limit: Cpu.millis(200) }, concurrency: 1 }) }), 'test/checkout', /sidecar.cpu.limit must not be below the request \(500m\), got "200m"/));
    test('fails when the memory limit is below the request', () => expectMeshError(make({ sidecar: SidecarTuning.of({ memory: { request: Size.mebibytes(512), limit: Size.mebibytes(256) } }) }), 'test/checkout', /sidecar.memory.limit must not be below the request \(512Mi\), got "256Mi"/));
    test('fails when the same version is added twice', () => {
      const { chart: c } = chart();
      const s = new MeshedService(c, 'checkout', { image: 'a:1', port: 8080, version: 'v2' });
      expectMeshError(() => s.addVersion('v2'), 'test/checkout', /version is already deployed by this service, got "v2"/);
    });
    test('fails when an added version is not a DNS label', () => {
      const { chart: c } = chart();
      const s = new MeshedService(c, 'checkout', { image: 'a:1', port: 8080 });
      expectMeshError(() => s.addVersion('v2_beta'), 'test/checkout', /version must be a DNS-1123 label.*got "v2_beta"/);
    });
    test('fails when two services share a host', () => {
      const { chart: c } = chart();
      new MeshedService(c, 'checkout', { image: 'a:1', port: 8080 });
      new MeshedService(c, 'checkout-copy', { name: 'checkout', image: 'a:2', port: 8080 });
      expectMeshError(() => synth(c), 'test/checkout-copy', /name is also the name of test\/checkout in the same namespace.*got "checkout"/);
    });
    test('fails when the app runs as the proxy UID', () => expectMeshError(make({ securityContext: { user: 1337 } }), 'test/checkout', /securityContext.user is the Istio proxy's UID.*IST0144/));
    test('fails when a timeout is set on a TCP service', () => expectMeshError(make({ protocol: MeshProtocol.TCP, timeout: Duration.seconds(1) }), 'test/checkout', /timeout applies to HTTP routes only/));
    test('fails when retries attempts are negative', () => expectMeshError(make({ retries: RetryPolicy.of({ attempts: -2 }) }), 'test/checkout', /retries.attempts must be a whole number from 0 to 100, got -2/));
    test('fails when maxConnections is 0', () => expectMeshError(make({ trafficPolicy: TrafficPolicy.of({ maxConnections: 0 }) }), 'test/checkout', /trafficPolicy.maxConnections must be a whole number from 1/));
    test('fails when maxEjectionPercent is above 100', () => expectMeshError(make({ trafficPolicy: TrafficPolicy.of({ maxEjectionPercent: 120 }) }), 'test/checkout', /maxEjectionPercent must be a whole number from 0 to 100, got 120/));
  });
});
