import { MeshRule, RuleHit } from './rule';
import { isObject } from '../private/json';

/**
 * ProxyConfig fields that are not MeshConfig fields (Istio 1.30 mesh.v1alpha1 protos): under
 * `meshConfig` directly they are dropped by istiod.
 */
const PROXY_CONFIG_ONLY = [
  'configPath', 'binaryPath', 'serviceCluster', 'tracingServiceName', 'drainDuration', 'discoveryAddress',
  'discoveryRefreshDelay', 'zipkinAddress', 'statsdUdpAddress', 'envoyMetricsServiceAddress', 'proxyAdminPort',
  'availabilityZone', 'controlPlaneAuthPolicy', 'customConfigFile', 'statNameLength', 'concurrency',
  'proxyBootstrapTemplatePath', 'interceptionMode', 'tracing', 'sds', 'envoyAccessLogService', 'envoyMetricsService',
  'proxyMetadata', 'runtimeValues', 'statusPort', 'extraStatTags', 'gatewayTopology', 'terminationDrainDuration',
  'meshId', 'readinessProbe', 'proxyStatsMatcher', 'holdApplicationUntilProxyStarts', 'caCertificatesPem', 'image',
  'privateKeyProvider', 'proxyHeaders', 'fileFlushInterval', 'fileFlushMinSizeKb', 'statsCompression',
];

/** MESH-CP-002: ProxyConfig fields placed directly under `meshConfig` instead of `meshConfig.defaultConfig`. */
export const cpProxyConfigInMeshConfig: MeshRule = {
  id: 'MESH-CP-002',
  level: 'error',
  info: '`proxyStatsMatcher` or another ProxyConfig field directly under `meshConfig` instead of `meshConfig.defaultConfig`',
  explanation: 'Mesh-wide proxy defaults live in `meshConfig.defaultConfig` (a ProxyConfig). A ProxyConfig field one '
    + 'level up, directly under `meshConfig`, is not a MeshConfig field: istiod drops it silently, and every proxy '
    + 'runs with the default instead (e.g. no extra stats, all cores).',
  fix: 'move the field under `spec.meshConfig.defaultConfig`',
  check(objects) {
    const hits: RuleHit[] = [];
    for (const io of objects.istioOperators()) {
      const mc = io.spec?.meshConfig;
      if (!isObject(mc)) continue;
      for (const key of PROXY_CONFIG_ONLY) {
        if (key in mc) {
          hits.push({
            object: io,
            location: `/spec/meshConfig/${key}`,
            message: `meshConfig.${key} is a ProxyConfig field, dropped where it is`,
            fix: `move it to spec.meshConfig.defaultConfig.${key}`,
          });
        }
      }
    }
    return hits;
  },
};
