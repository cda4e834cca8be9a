import { Duration, Size } from 'cdk8s';
import { Cpu, EnvValue, Probe } from 'cdk8s-plus-27';
import { DisruptionBudget, IstioApiVersion, MeshedService, MeshProtocol, RetryPolicy, SidecarTuning, TopologySpread, TrafficPolicy, WhenUnsatisfiable } from '../src';
import { all, chart, expectMeshError, only, synth } from './util';

describe('MeshedService', () => {
  test('defaults: a meshed, tuned workload with one DestinationRule and one VirtualService', () => {
    const { chart: c } = chart();
    new MeshedService(c, 'checkout', { image: 'ghcr.io/acme/checkout:1.0.0', port: 8080 });
    const objs = synth(c);

    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/checkout-v1', 'DestinationRule/checkout', 'PodDisruptionBudget/checkout-v1', 'Service/checkout', 'ServiceAccount/checkout', 'VirtualService/checkout',
    ]);
    const dep = only(objs, 'Deployment');
    expect(dep.spec.replicas).toBe(2);
    const tpl = dep.spec.template;
    // injection is a pod template label, not an annotation on the Deployment
    expect(tpl.metadata.labels).toMatchObject({ 'app': 'checkout', 'version': 'v1', 'sidecar.istio.io/inject': 'true' });
    expect(dep.metadata.annotations?.['sidecar.istio.io/inject']).toBeUndefined();
    expect(tpl.metadata.annotations).toEqual({
      'proxy.istio.io/config': '{"concurrency":2,"holdApplicationUntilProxyStarts":true,"terminationDrainDuration":"30s"}',
      'sidecar.istio.io/proxyCPU': '100m',
      'sidecar.istio.io/proxyCPULimit': '2000m',
      'sidecar.istio.io/proxyMemory': '128Mi',
      'sidecar.istio.io/proxyMemoryLimit': '1024Mi',
    });
    expect(tpl.spec.terminationGracePeriodSeconds).toBe(30);
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
        terminationDrainDuration: Duration.seconds(45),
        nativeSidecar: true,
      }),
      terminationGracePeriod: Duration.minutes(1),
      disruptionBudget: DisruptionBudget.minAvailable(3),
      spread: TopologySpread.of({ nodes: false, maxSkew: 2, whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE }),
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
      'proxy.istio.io/config': '{"concurrency":1,"holdApplicationUntilProxyStarts":false,"terminationDrainDuration":"45s"}',
      'sidecar.istio.io/proxyCPU': '250m',
      'sidecar.istio.io/proxyCPULimit': '1000m',
      'sidecar.istio.io/proxyMemory': '256Mi',
      'sidecar.istio.io/proxyMemoryLimit': '1024Mi',
      'sidecar.istio.io/nativeSidecar': 'true',
    });
    expect(pod.spec.terminationGracePeriodSeconds).toBe(60);
    expect(pod.spec.topologySpreadConstraints).toEqual([{
      labelSelector: { matchLabels: { app: 'ledger-api', version: 'v7' } }, maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule',
    }]);
    expect(only(objs, 'PodDisruptionBudget').spec).toEqual({
      minAvailable: 3, selector: { matchLabels: { app: 'ledger-api', version: 'v7' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
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
    expect(only(objs, 'Deployment').spec.template.metadata.annotations['proxy.istio.io/config']).toBe('{"concurrency":2,"holdApplicationUntilProxyStarts":true,"terminationDrainDuration":"30s"}');
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

  describe('workloads: disruption budget, spread and shutdown', () => {
    const build = (props: any = {}, more?: (s: MeshedService) => void) => {
      const { chart: c } = chart();
      const s = new MeshedService(c, 'checkout', { image: 'acme/checkout:1', port: 8080, ...props });
      more?.(s);
      return synth(c);
    };
    const annotations = (objs: any[], name = 'checkout-v1') => only(objs, 'Deployment', name).spec.template.metadata.annotations;
    const proxyConfig = (objs: any[], name = 'checkout-v1') => JSON.parse(annotations(objs, name)['proxy.istio.io/config']);

    test('a version with 2 or more replicas gets a policy/v1 PodDisruptionBudget over exactly its pods', () => {
      const objs = build();
      const pdb = only(objs, 'PodDisruptionBudget', 'checkout-v1');
      expect(pdb.apiVersion).toBe('policy/v1');
      expect(pdb.metadata.namespace).toBe('shop');
      expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'checkout', version: 'v1' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
      expect(pdb.spec.selector.matchLabels).toEqual(only(objs, 'Deployment').spec.selector.matchLabels);
      expect(only(build({ replicas: 5 }), 'PodDisruptionBudget').spec.maxUnavailable).toBe(1); // one at a time at any scale
    });

    test('versions with 0 or 1 replica get no PodDisruptionBudget; each version with 2 or more gets its own', () => {
      expect(all(build({ replicas: 1 }), 'PodDisruptionBudget')).toEqual([]);
      expect(all(build({ replicas: 0 }), 'PodDisruptionBudget')).toEqual([]);
      const objs = build({ version: 'v2', replicas: 3 }, (s) => {
        s.addVersion('v3', { replicas: 1 }); // a canary
        s.addVersion('v4', { replicas: 0 });
        s.addVersion('v5', { replicas: 2 });
      });
      expect(all(objs, 'PodDisruptionBudget').map((p) => [p.metadata.name, p.spec.selector.matchLabels.version])).toEqual([
        ['checkout-v2', 'v2'], ['checkout-v5', 'v5'],
      ]);
    });

    test('the budget is overridable per service and per version, and can be turned off', () => {
      const objs = build({ replicas: 4, disruptionBudget: DisruptionBudget.maxUnavailable(2) }, (s) => {
        s.addVersion('v2', { replicas: 3 }); // inherits maxUnavailable 2
        s.addVersion('v3', { replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(2) });
        s.addVersion('v4', { replicas: 3, disruptionBudget: DisruptionBudget.none() });
      });
      expect(only(objs, 'PodDisruptionBudget', 'checkout-v1').spec.maxUnavailable).toBe(2);
      expect(only(objs, 'PodDisruptionBudget', 'checkout-v2').spec.maxUnavailable).toBe(2);
      expect(only(objs, 'PodDisruptionBudget', 'checkout-v3').spec).toMatchObject({ minAvailable: 2 });
      expect(only(objs, 'PodDisruptionBudget', 'checkout-v3').spec.maxUnavailable).toBeUndefined();
      expect(all(objs, 'PodDisruptionBudget', 'checkout-v4')).toEqual([]);
    });

    test('disruptionBudgetOf returns the version\'s budget object, or undefined', () => {
      const { chart: c } = chart();
      const s = new MeshedService(c, 'checkout', { image: 'a:1', port: 8080 });
      s.addVersion('v2', { replicas: 1 });
      expect(s.disruptionBudgetOf('v1')?.kind).toBe('PodDisruptionBudget');
      expect(s.disruptionBudgetOf('v2')).toBeUndefined();
    });

    test('pods are spread across zones and nodes with ScheduleAnyway by default', () => {
      const objs = build({}, (s) => s.addVersion('v2', { replicas: 1 }));
      const selector = { matchLabels: { app: 'checkout', version: 'v1' } };
      expect(only(objs, 'Deployment', 'checkout-v1').spec.template.spec.topologySpreadConstraints).toEqual([
        { labelSelector: selector, maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
        { labelSelector: selector, maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
      ]);
      // each version spreads its own pods
      expect(only(objs, 'Deployment', 'checkout-v2').spec.template.spec.topologySpreadConstraints[0].labelSelector)
        .toEqual({ matchLabels: { app: 'checkout', version: 'v2' } });
    });

    test('the spread is overridable and can be turned off', () => {
      const spec = (objs: any[], name = 'checkout-v1') => only(objs, 'Deployment', name).spec.template.spec;
      expect(spec(build({ spread: TopologySpread.none() })).topologySpreadConstraints).toBeUndefined();
      const zonesOnly = spec(build({ spread: TopologySpread.of({ nodes: false, whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE }) }));
      expect(zonesOnly.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([['topology.kubernetes.io/zone', 'DoNotSchedule']]);
      const perVersion = build({}, (s) => s.addVersion('v2', { spread: TopologySpread.of({ zones: false }) }));
      expect(spec(perVersion, 'checkout-v2').topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['kubernetes.io/hostname']);
    });

    test('the sidecar drains for the pod\'s termination grace period by default, so it outlives the app', () => {
      expect(proxyConfig(build()).terminationDrainDuration).toBe('30s'); // Istio's default is 5s
      const objs = build({ terminationGracePeriod: Duration.seconds(90) }, (s) => s.addVersion('v2', { terminationGracePeriod: Duration.seconds(20) }));
      expect(only(objs, 'Deployment', 'checkout-v1').spec.template.spec.terminationGracePeriodSeconds).toBe(90);
      expect(proxyConfig(objs).terminationDrainDuration).toBe('90s');
      expect(proxyConfig(objs, 'checkout-v2').terminationDrainDuration).toBe('20s');
      expect(proxyConfig(build({ sidecar: SidecarTuning.of({ terminationDrainDuration: Duration.seconds(10) }) })).terminationDrainDuration).toBe('10s');
    });

    test('exitOnZeroActiveConnections sets the proxy env through proxyMetadata, and no drain duration', () => {
      const pc = proxyConfig(build({ sidecar: SidecarTuning.of({ exitOnZeroActiveConnections: true }) }));
      expect(pc.proxyMetadata).toEqual({ EXIT_ON_ZERO_ACTIVE_CONNECTIONS: 'true' });
      expect(pc.terminationDrainDuration).toBeUndefined();
    });

    test('native sidecars are opt-in: no annotation unless nativeSidecar is set', () => {
      expect(annotations(build())['sidecar.istio.io/nativeSidecar']).toBeUndefined();
      expect(annotations(build({ sidecar: SidecarTuning.of({ nativeSidecar: true }) }))['sidecar.istio.io/nativeSidecar']).toBe('true');
      expect(annotations(build({ sidecar: SidecarTuning.of({ nativeSidecar: false }) }))['sidecar.istio.io/nativeSidecar']).toBe('false');
    });

    test('the sidecar memory limit defaults to Istio\'s own 1024Mi, the rest to Istio\'s values', () => {
      expect(annotations(build())).toMatchObject({
        'sidecar.istio.io/proxyCPU': '100m',
        'sidecar.istio.io/proxyCPULimit': '2000m',
        'sidecar.istio.io/proxyMemory': '128Mi',
        'sidecar.istio.io/proxyMemoryLimit': '1024Mi',
      });
      expect(SidecarTuning.defaults().memoryLimit.toMebibytes()).toBe(1024);
    });

    const make = (props: any, more?: (s: MeshedService) => void) => () => build(props, more);
    test('fails when the drain is longer than the grace period', () => expectMeshError(
      make({ sidecar: SidecarTuning.of({ terminationDrainDuration: Duration.seconds(45) }) }), 'test/checkout',
      /sidecar.terminationDrainDuration is longer than the pod's termination grace period \(30s\).*got "45s": shorten it to 30s or less/));
    test('fails when an added version\'s grace period is shorter than the drain', () => expectMeshError(
      make({ terminationGracePeriod: Duration.seconds(60), sidecar: SidecarTuning.of({ terminationDrainDuration: Duration.seconds(45) }) },
        (s) => s.addVersion('v2', { terminationGracePeriod: Duration.seconds(10) })), 'test/checkout', /terminationDrainDuration is longer .*\(10s\)/));
    test('fails when a drain duration is set with exitOnZeroActiveConnections', () => expectMeshError(
      make({ sidecar: SidecarTuning.of({ terminationDrainDuration: Duration.seconds(5), exitOnZeroActiveConnections: true }) }), 'test/checkout',
      /sidecar.terminationDrainDuration has no effect with exitOnZeroActiveConnections.*got "5s"/));
    test('fails when the drain is shorter than a millisecond', () => expectMeshError(
      make({ sidecar: SidecarTuning.of({ terminationDrainDuration: Duration.millis(0) }) }), 'test/checkout', /sidecar.terminationDrainDuration must be at least 1 millisecond/));
    test('fails when the grace period is 0 or not whole seconds', () => {
      expectMeshError(make({ terminationGracePeriod: Duration.seconds(0) }), 'test/checkout', /terminationGracePeriod must be a whole number of seconds, 1 or more.*got "0ms"/);
      expectMeshError(make({ terminationGracePeriod: Duration.millis(1500) }), 'test/checkout', /terminationGracePeriod must be a whole number of seconds.*got "1500ms"/);
    });
    test('fails when maxUnavailable is as many as the replicas', () => expectMeshError(
      make({ replicas: 2, disruptionBudget: DisruptionBudget.maxUnavailable(2) }), 'test/checkout',
      /disruptionBudget.maxUnavailable must be below the version's 2 replicas: a drain could evict every pod at once, got 2: set it to 1 or less/));
    test('fails when maxUnavailable is 0 (every drain blocked)', () => expectMeshError(
      make({ disruptionBudget: DisruptionBudget.maxUnavailable(0) }), 'test/checkout', /disruptionBudget.maxUnavailable must be a whole number from 1 .*got 0/));
    test('fails when minAvailable is as many as an added version\'s replicas', () => expectMeshError(
      make({ replicas: 4, disruptionBudget: DisruptionBudget.minAvailable(3) }, (s) => s.addVersion('v2', { replicas: 3 })), 'test/checkout',
      /disruptionBudget.minAvailable must be below the version's 3 replicas: no pod could ever be evicted and node drains would hang, got 3/));
    test('a budget that does not fit a 1-replica version is not checked there (no budget is written)', () => {
      expect(all(build({ replicas: 1, disruptionBudget: DisruptionBudget.maxUnavailable(5) }), 'PodDisruptionBudget')).toEqual([]);
    });
    test('fails when maxSkew is 0', () => expectMeshError(make({ spread: TopologySpread.of({ maxSkew: 0 }) }), 'test/checkout', /spread.maxSkew must be a whole number from 1/));
    describe('fails when a plain-JavaScript caller passes the wrong type', () => {
      test('disruptionBudget', () => expectMeshError(make({ disruptionBudget: { maxUnavailable: 1 } }), 'test/checkout',
        /disruptionBudget must be a DisruptionBudget, got \{"maxUnavailable":1\}: set disruptionBudget: DisruptionBudget.maxUnavailable\(1\)/));
      test('spread', () => expectMeshError(make({ spread: 'zones' }), 'test/checkout', /spread must be a TopologySpread, got "zones"/));
      test('spread.whenUnsatisfiable', () => expectMeshError(make({ spread: TopologySpread.of({ whenUnsatisfiable: 'Sometimes' as any }) }), 'test/checkout',
        /spread.whenUnsatisfiable must be one of ScheduleAnyway, DoNotSchedule, got "Sometimes"/));
      test('spread.zones', () => expectMeshError(make({ spread: TopologySpread.of({ zones: 'yes' as any }) }), 'test/checkout', /spread.zones must be true or false, got "yes"/));
      test('sidecar', () => expectMeshError(make({ sidecar: { concurrency: 2 } }), 'test/checkout', /sidecar must be a SidecarTuning/));
      test('sidecar.nativeSidecar', () => expectMeshError(make({ sidecar: SidecarTuning.of({ nativeSidecar: 'true' as any }) }), 'test/checkout', /sidecar.nativeSidecar must be true or false, got "true"/));
      test('sidecar.terminationDrainDuration', () => expectMeshError(make({ sidecar: SidecarTuning.of({ terminationDrainDuration: 30 as any }) }), 'test/checkout',
        /sidecar.terminationDrainDuration must be a Duration, got 30/));
      test('terminationGracePeriod', () => expectMeshError(make({ terminationGracePeriod: 30 }), 'test/checkout', /terminationGracePeriod must be a Duration, got 30/));
    });
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
