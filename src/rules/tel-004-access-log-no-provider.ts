import { MeshRule, RuleHit } from './rule';
import { asArray, isObject } from '../private/json';

/**
 * MESH-TEL-004: a Telemetry access logging entry without providers while the mesh has no default
 * access log provider (IST0157, pkg/config/analysis/analyzers/telemetry/providers.go: skipped
 * when `meshConfig.defaultProviders.accessLogging` is set, and for `disabled: true` entries).
 */
export const telemetryAccessLogNoProvider: MeshRule = {
  id: 'MESH-TEL-004',
  level: 'warning',
  istioCodes: ['IST0157'],
  info: 'Telemetry access logging without providers, and no default access log provider in the mesh (IST0157)',
  explanation: 'An `accessLogging` entry without `providers` uses the mesh\'s default access log providers. When '
    + '`meshConfig.defaultProviders.accessLogging` names none, the entry is ignored: no access log is written.',
  fix: 'name a provider in the entry (`providers: [{ name: envoy }]`), or set `meshConfig.defaultProviders.accessLogging`',
  check(objects) {
    const hasDefault = objects.istioOperators().some((io) => asArray(io.spec?.meshConfig?.defaultProviders?.accessLogging).length > 0);
    if (hasDefault) return [];
    const hits: RuleHit[] = [];
    for (const tel of objects.telemetries()) {
      asArray(tel.spec?.accessLogging).forEach((l, i) => {
        if (!isObject(l) || l.disabled === true) return;
        if (asArray(l.providers).length > 0) return;
        hits.push({ object: tel, location: `/spec/accessLogging/${i}`, message: 'access logging names no provider, and the mesh has no default access log provider in the app: it is ignored' });
      });
    }
    return hits;
  },
};
