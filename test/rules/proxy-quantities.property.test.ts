// MESH-PROXY-001 reads the sidecar's quantities from annotations, as any manifest may write them:
// CPU and memory in every form Kubernetes accepts (k8s.io/apimachinery pkg/api/resource/quantity.go).
import * as fc from 'fast-check';
import { check, deployment } from './objects';
import { proxyResources } from '../../src/rules/proxy-001-resources';

/** `m` millicores in one of the forms a manifest may use. */
const cpuText = (m: number, form: number): string => [`${m}m`, String(m / 1000), `${m}e-3`, `${m * 1000}u`, `${m * 1_000_000}n`, `+${m}m`][form % 6];

const MEMORY_UNITS: Array<[string, number]> = [['', 1], ['k', 1e3], ['M', 1e6], ['G', 1e9], ['Ki', 1024], ['Mi', 1024 ** 2], ['Gi', 1024 ** 3], ['e3', 1e3], ['E-0', 1]];
/** A memory quantity: its text and its bytes. */
const memory = fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.constantFrom(...MEMORY_UNITS)).map(([n, [unit, factor]]) => ({ text: `${n}${unit}`, bytes: n * factor }));

describe('MESH-PROXY-001 over quantities in every form (property)', () => {
  test('concurrency above the CPU limit\'s cores, and a memory limit below the request, are found whatever the units; nothing else is', () => {
    let cpuHits = 0;
    let memHits = 0;
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 16000 }), fc.nat(), fc.integer({ min: 1, max: 20 }), memory, fc.option(memory, { nil: undefined }),
      (millis, form, concurrency, request, other) => {
        // sometimes the limit is the request itself, written in plain bytes: equal is not below
        const limit = other ?? { text: String(request.bytes), bytes: request.bytes };
        const d = deployment('checkout', {
          annotations: {
            'proxy.istio.io/config': JSON.stringify({ concurrency }),
            'sidecar.istio.io/proxyCPULimit': cpuText(millis, form),
            'sidecar.istio.io/proxyMemory': request.text,
            'sidecar.istio.io/proxyMemoryLimit': limit.text,
          },
        });
        const messages = check(proxyResources, d).map((h) => h.message);
        const cores = Math.ceil(millis / 1000);
        const overCpu = concurrency > cores;
        const underMemory = limit.bytes < request.bytes;
        expect(messages.filter((m) => m.startsWith(`proxy concurrency ${concurrency} is above`))).toHaveLength(overCpu ? 1 : 0);
        if (overCpu) expect(messages.join('\n')).toContain(`(${cores} core(s))`);
        expect(messages.filter((m) => m.startsWith('proxy memory limit'))).toHaveLength(underMemory ? 1 : 0);
        expect(messages).toHaveLength((overCpu ? 1 : 0) + (underMemory ? 1 : 0));
        if (overCpu) cpuHits++;
        if (underMemory) memHits++;
      }), { numRuns: 400 });
    expect(cpuHits).toBeGreaterThan(20);
    expect(memHits).toBeGreaterThan(20);
  });
});
