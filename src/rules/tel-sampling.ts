// Where trace sampling can be set, read once for both sampling rules.
import { MeshObjects } from './mesh-objects';
import { KObject } from './rule';
import { asArray, isObject } from '../private/json';

export interface SamplingSetting {
  readonly object: KObject;
  readonly location: string;
  readonly where: string;
  readonly value: unknown;
}

/** Every trace sampling percentage set in the objects, with its place. */
export function samplingSettings(objects: MeshObjects): SamplingSetting[] {
  const out: SamplingSetting[] = [];
  for (const io of objects.istioOperators()) {
    const s = io.spec?.meshConfig?.defaultConfig?.tracing?.sampling;
    if (s !== undefined) out.push({ object: io, location: '/spec/meshConfig/defaultConfig/tracing/sampling', where: 'meshConfig.defaultConfig.tracing.sampling', value: s });
    const v = io.spec?.values?.pilot?.traceSampling;
    if (v !== undefined) out.push({ object: io, location: '/spec/values/pilot/traceSampling', where: 'values.pilot.traceSampling', value: v });
  }
  for (const tel of objects.telemetries()) {
    asArray(tel.spec?.tracing).forEach((t, i) => {
      if (isObject(t) && t.randomSamplingPercentage !== undefined) {
        out.push({ object: tel, location: `/spec/tracing/${i}/randomSamplingPercentage`, where: 'Telemetry tracing randomSamplingPercentage', value: t.randomSamplingPercentage });
      }
    });
  }
  for (const t of objects.podTemplates()) {
    const s = objects.proxyConfigOf(t.annotations)?.tracing?.sampling;
    if (s !== undefined) out.push({ object: t.object, location: `${t.path}/metadata/annotations/proxy.istio.io~1config`, where: 'proxy.istio.io/config tracing.sampling', value: s });
  }
  return out;
}
