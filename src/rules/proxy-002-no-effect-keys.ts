import { ptr } from './mesh-objects';
import { KObject, MeshRule, RuleHit } from './rule';
import { asArray, isObject } from '../private/json';

/** proxyMetadata keys (environment variables of the proxy) that nothing reads, and what was meant. */
const NO_EFFECT_METADATA: Record<string, string> = {
  ENABLE_MEMORY_CONNECTION_POOLING: 'no such variable exists; lower `concurrency`, set the proxy memory limit, or scope config with a Sidecar resource',
};

/** runtimeValues keys that are not Envoy runtime keys, and the setting that does what was meant. */
const NO_EFFECT_RUNTIME: Record<string, string> = {
  'listener.connection_balance_type': 'not an Envoy runtime key; for exact balancing set proxyMetadata ISTIO_META_INBOUND_LISTENER_EXACT_BALANCE: "true"',
};

/** Environment variables of istiod whose value is already the default. */
const NO_EFFECT_PILOT_ENV: Record<string, string> = {
  PILOT_ENABLE_XDS_CACHE: 'already on by default since Istio 1.8; remove it',
};

/** MESH-PROXY-002: proxyMetadata / runtimeValues keys known to have no effect. */
export const proxyNoEffectKeys: MeshRule = {
  id: 'MESH-PROXY-002',
  // A warning: nothing rejects the key and nothing breaks; the tuning just does not happen.
  level: 'warning',
  info: '`proxyMetadata` or `runtimeValues` keys known to have no effect',
  explanation: '`proxyMetadata` only sets environment variables of the proxy and `runtimeValues` only sets Envoy runtime '
    + 'keys, so both accept any key. A key that nothing reads is accepted silently and does nothing: the tuning the '
    + 'manifest seems to apply never happens.',
  fix: 'remove the key and use the setting that does what was meant (the finding names it)',
  check(objects) {
    const hits: RuleHit[] = [];
    const checkPc = (o: KObject, pc: any, loc: string, where: string) => {
      if (!isObject(pc)) return;
      for (const [key, fix] of Object.entries(NO_EFFECT_METADATA)) {
        if (isObject(pc.proxyMetadata) && key in pc.proxyMetadata) {
          hits.push({ object: o, location: `${loc}/proxyMetadata/${ptr(key)}`, message: `${where} proxyMetadata ${key} has no effect`, fix });
        }
      }
      for (const [key, fix] of Object.entries(NO_EFFECT_RUNTIME)) {
        if (isObject(pc.runtimeValues) && key in pc.runtimeValues) {
          hits.push({ object: o, location: `${loc}/runtimeValues/${ptr(key)}`, message: `${where} runtimeValues ${key} has no effect`, fix });
        }
      }
    };
    for (const t of objects.podTemplates()) {
      checkPc(t.object, objects.proxyConfigOf(t.annotations), `${t.path}/metadata/annotations/proxy.istio.io~1config`, 'proxy.istio.io/config');
    }
    for (const io of objects.istioOperators()) {
      checkPc(io, io.spec?.meshConfig?.defaultConfig, '/spec/meshConfig/defaultConfig', 'meshConfig.defaultConfig');
      const env = io.spec?.values?.pilot?.env;
      if (isObject(env)) {
        for (const [key, fix] of Object.entries(NO_EFFECT_PILOT_ENV)) {
          if (key in env && String(env[key]) === 'true') hits.push({ object: io, location: `/spec/values/pilot/env/${key}`, message: `istiod env ${key}=true has no effect`, fix });
        }
      }
      asArray(io.spec?.components?.pilot?.k8s?.env).forEach((e, i) => {
        const fix = NO_EFFECT_PILOT_ENV[e?.name];
        if (fix && String(e?.value) === 'true') hits.push({ object: io, location: `/spec/components/pilot/k8s/env/${i}`, message: `istiod env ${e.name}=true has no effect`, fix });
      });
    }
    return hits;
  },
};
