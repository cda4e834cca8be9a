// The checks and branches of src/private that the construct tests do not reach, each at both sides
// of its boundary.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart, Duration, Lazy, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { RE2JS } from 're2js';
import { MeshedService, SidecarTuning } from '../../src';
import { checkDuration, checkReason, checkStringList, PROTOBUF_DURATION_MAX_SECONDS } from '../../src/private/checks';
import { refuseObjectCollisions } from '../../src/private/collisions';
import { fail, show } from '../../src/private/errors';
import { appOutdir, writeFiles } from '../../src/private/files';
import { prune } from '../../src/private/json';
import { readManifest } from '../../src/private/manifest-yaml';
import { MeshError } from '../../src/private/mesh-error';
import { checkDnsLabel, checkServiceName, clusterServiceOf, isDnsLabel, isDnsSubdomain, isFqdnHost, suggestLabel } from '../../src/private/names';
import { checkRe2, re2Problem } from '../../src/private/re2';
import { checkConcurrency, checkResources } from '../../src/private/resources';
import { addValidationOncePerSynth } from '../../src/private/synth-once';
import { cpuQuantity, memoryQuantity } from '../../src/private/units';
import { expectMeshError } from '../util';

describe('resources: positive quantities, limits not below requests', () => {
  const s = () => Testing.chart();
  test('a CPU request or limit of 0 (or not a number) is refused as not positive; 1m is accepted', () => {
    checkResources(s(), 'r', { cpuRequest: kplus.Cpu.millis(1), cpuLimit: kplus.Cpu.millis(1) });
    expectMeshError(() => checkResources(s(), 'r', { cpuRequest: kplus.Cpu.millis(0) }), 'test', /r\.cpu\.request must be a positive CPU quantity, got "0m"/);
    expectMeshError(() => checkResources(s(), 'r', { cpuRequest: kplus.Cpu.millis(-5) }), 'test', /r\.cpu\.request must be a positive CPU quantity, got "-5m"/);
    expectMeshError(() => checkResources(s(), 'r', { cpuLimit: kplus.Cpu.units(0) }), 'test', /r\.cpu\.limit must be a positive CPU quantity, got "0": use Cpu\.units/);
    expectMeshError(() => checkResources(s(), 'r', { cpuLimit: kplus.Cpu.millis(NaN) }), 'test', /r\.cpu\.limit must be a positive CPU quantity, got "NaNm"/);
  });

  test('a memory request or limit of 0 is refused as not positive; 1Ki is accepted', () => {
    checkResources(s(), 'r', { memoryRequest: Size.kibibytes(1), memoryLimit: Size.kibibytes(1) });
    expectMeshError(() => checkResources(s(), 'r', { memoryRequest: Size.mebibytes(0) }), 'test', /r\.memory\.request must be positive, got "0Mi"/);
    expectMeshError(() => checkResources(s(), 'r', { memoryLimit: Size.mebibytes(0) }), 'test', /r\.memory\.limit must be positive, got "0Mi": use Size\.mebibytes\(\.\.\.\) with a positive amount, or leave it unset/);
  });

  test('limits at the request pass, one unit below fail (CPU in millicores, memory in KiB)', () => {
    checkResources(s(), 'r', { cpuRequest: kplus.Cpu.millis(1001), cpuLimit: kplus.Cpu.units(1.001) });
    expectMeshError(() => checkResources(s(), 'r', { cpuRequest: kplus.Cpu.millis(1001), cpuLimit: kplus.Cpu.units(1) }), 'test', /r\.cpu\.limit must not be below the request \(1001m\), got "1"/);
    checkResources(s(), 'r', { memoryRequest: Size.mebibytes(1), memoryLimit: Size.kibibytes(1024) });
    expectMeshError(() => checkResources(s(), 'r', { memoryRequest: Size.mebibytes(1), memoryLimit: Size.kibibytes(1023) }), 'test', /r\.memory\.limit must not be below the request \(1Mi\), got "1023Ki"/);
  });

  test('whole millicores: 1m and 1.001 cores pass, 0.5m and 1.0005 cores fail with the rounded fix', () => {
    checkResources(s(), 'r', { cpuRequest: kplus.Cpu.units(0.001) });
    expectMeshError(() => checkResources(s(), 'r', { cpuRequest: kplus.Cpu.millis(0.5) }), 'test', /r\.cpu\.request must be whole millicores.*got "0\.5m": use Cpu\.millis\(1\)/);
    expectMeshError(() => checkResources(s(), 'r', { cpuLimit: kplus.Cpu.units(1.0005) }), 'test', /r\.cpu\.limit must be whole millicores.*got "1\.0005": use Cpu\.millis\(1001\)/);
  });

  test('concurrency: 0 only with allowAllCores, int32 at most', () => {
    checkConcurrency(s(), 'c', 0, true);
    checkConcurrency(s(), 'c', 2 ** 31 - 1, false);
    expectMeshError(() => checkConcurrency(s(), 'c', 0, false), 'test', /c of 0 starts one Envoy worker per node core/);
    expectMeshError(() => checkConcurrency(s(), 'c', 2 ** 31, false), 'test', /c must be a whole number of Envoy workers/);
    expectMeshError(() => checkConcurrency(s(), 'c', -1, true), 'test', /c must be a whole number of Envoy workers/);
  });

  test('through a MeshedService: a sidecar CPU limit of 0 names the sidecar prop', () => {
    expectMeshError(() => new MeshedService(Testing.chart(), 'svc', { image: 'x:1', port: 80, sidecar: SidecarTuning.of({ cpu: { limit: kplus.Cpu.millis(0) } }) }),
      'test/svc', /sidecar\.cpu\.limit must be a positive CPU quantity/);
  });

  test('quantities as written: whole millicores, Mi where whole, else Ki', () => {
    expect(cpuQuantity(kplus.Cpu.units(1.5))).toBe('1500m');
    expect(memoryQuantity(Size.gibibytes(1))).toBe('1024Mi');
    expect(memoryQuantity(Size.kibibytes(1536))).toBe('1536Ki');
  });
});

describe('names', () => {
  test('DNS-1123 labels and DNS-1035 Service names at 63 and 64 characters', () => {
    expect(isDnsLabel('a'.repeat(63))).toBe(true);
    expect(isDnsLabel('a'.repeat(64))).toBe(false);
    expect(isDnsLabel('1a')).toBe(true);
    expect(isDnsLabel('a-')).toBe(false);
    expect(isDnsLabel(5 as any)).toBe(false);
    expect(checkServiceName(Testing.chart(), 'name', 'a'.repeat(63))).toBe('a'.repeat(63));
    expectMeshError(() => checkServiceName(Testing.chart(), 'name', 'a'.repeat(64)), 'test', /must be a DNS-1035 label.*rename it, for example "a{63}"/);
    expectMeshError(() => checkServiceName(Testing.chart(), 'name', '1abc'), 'test', /rename it, for example "s-1abc"/);
    expectMeshError(() => checkDnsLabel(Testing.chart(), 'version', 'V2'), 'test', /version must be a DNS-1123 label.*got "V2": rename it, for example "v2"/);
  });

  test('DNS-1123 subdomains: dot-separated labels, 253 characters at most', () => {
    expect(isDnsSubdomain('a.b-c.d')).toBe(true);
    expect(isDnsSubdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`)).toBe(true); // 253
    expect(isDnsSubdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`)).toBe(false); // 254
    for (const bad of ['a..b', 'a.-b', 'a-.b', '.a', 'a.', 'A.b', '', 'a_b']) expect(isDnsSubdomain(bad)).toBe(false);
  });

  test('hosts istiod accepts: labels of at most 63, two labels at least, a top-level label that is not all digits', () => {
    expect(isFqdnHost(`${'a'.repeat(63)}.com`)).toBe(true);
    expect(isFqdnHost(`${'a'.repeat(64)}.com`)).toBe(false);
    expect(isFqdnHost('api.k8s')).toBe(true);
    expect(isFqdnHost('api.123')).toBe(false);
    expect(isFqdnHost('10.0.0.1')).toBe(false);
    expect(isFqdnHost('localhost')).toBe(false);
    expect(isFqdnHost('a..b')).toBe(false);
  });

  test('suggestions are valid names, or the prop\'s example', () => {
    expect(suggestLabel('My_Service')).toBe('my-service');
    expect(suggestLabel('--', false, 'version')).toBe('v2');
    expect(suggestLabel(undefined, false, 'namespace')).toBe('shop');
    expect(suggestLabel('', false, 'revision')).toBe('canary');
    expect(suggestLabel('9lives', true)).toBe('s-9lives');
    expect(suggestLabel(`${'a'.repeat(62)}-b`, true)).toBe(`${'a'.repeat(62)}`);
    expect(clusterServiceOf('db.data.svc.cluster.local')).toEqual({ name: 'db', namespace: 'data' });
    expect(clusterServiceOf('db.data.svc.cluster.local.')).toBeUndefined();
    expect(clusterServiceOf('api.stripe.com')).toBeUndefined();
  });
});

describe('durations and reasons at their boundaries', () => {
  test('1 ms and the protobuf maximum pass; below, fractions and above fail', () => {
    checkDuration('x', 't', Duration.millis(1), 'fix');
    checkDuration('x', 't', Duration.seconds(PROTOBUF_DURATION_MAX_SECONDS), 'fix');
    expectMeshError(() => checkDuration('x', 't', Duration.seconds(PROTOBUF_DURATION_MAX_SECONDS + 1), 'fix'), 'x', /t must be at most 315576000000 seconds/);
    expectMeshError(() => checkDuration('x', 't', Duration.millis(1.5), 'fix'), 'x', /t must be whole milliseconds.*Duration\.millis\(2\)/);
    expectMeshError(() => checkDuration('x', 't', Duration.millis(0), 'fix'), 'x', /t must be at least 1 millisecond/);
    expectMeshError(() => checkDuration('x', 'a.timeout', 5000 as any, 'fix'), 'x', /a\.timeout must be a Duration.*write timeout: Duration\.millis\(5000\) if that is milliseconds/);
    expectMeshError(() => checkDuration('x', 'timeout', 'soon' as any, 'fix'), 'x', /write timeout: Duration\.seconds\(5\)/);
  });

  test('a reason of 10 characters passes (trimmed), 9 fail', () => {
    expect(checkReason('x', 'reason', '  0123456789  ', 'must explain', 'fix')).toBe('0123456789');
    expectMeshError(() => checkReason('x', 'reason', '012345678', 'must explain', 'fix', 'why'), 'x', /reason must explain in at least 10 characters: why, got "012345678"/);
  });
});

describe('object collisions across the App', () => {
  test('two objects of one kind, namespace (resolved at synth) and name are refused; other namespaces, kinds or groups pass', () => {
    const app = Testing.app();
    const c = new Chart(app, 'c');
    const cm = (id: string, ns: unknown, kind = 'ConfigMap', apiVersion = 'v1') => new ApiObject(c, id, { apiVersion, kind, metadata: { name: 'same', namespace: ns as string } });
    cm('a', Lazy.any({ produce: () => 'late' }));
    cm('b', 'other');
    cm('c', undefined, 'ClusterRole', 'rbac.authorization.k8s.io/v1');
    cm('d', undefined, 'ClusterRole', 'example.com/v1');
    refuseObjectCollisions(c);
    expect(() => Testing.synth(c)).not.toThrow();
    cm('e', 'late');
    cm('f', undefined, 'ClusterRole', 'rbac.authorization.k8s.io/v1');
    expect(() => Testing.synth(c)).toThrow(/c\/e: name makes a second ConfigMap late\/same, already written by c\/a/);
    expect(() => Testing.synth(c)).toThrow(/c\/f: name makes a second ClusterRole same, already written by c\/c/);
  });
});

describe('files and messages', () => {
  test('a write failure without an error code still says why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-files-'));
    try {
      const files = Object.defineProperty({}, 'r.md', { enumerable: true, get: () => { throw new Error('disk on fire'); } });
      expectMeshError(() => writeFiles('x', 'reportDir', dir, files), 'x', /reportDir cannot be written to \(disk on fire\)/);
      writeFileSync(join(dir, 'file'), '');
      expectMeshError(() => writeFiles('x', 'reportDir', join(dir, 'file'), { 'r.md': '' }), 'x', /reportDir cannot be written to \((EEXIST|ENOTDIR)\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('appOutdir: the App\'s outdir, or undefined for a tree whose root is not an App', () => {
    expect(appOutdir(new Chart(new App({ outdir: '/tmp/x-out' }), 'c'))).toBe('/tmp/x-out');
    expect(appOutdir(new Construct(new Construct(undefined as any, ''), 'c'))).toBeUndefined();
  });

  test('show: strings quoted, nothing, non-finite numbers, and values JSON cannot write', () => {
    expect(show('a')).toBe('"a"');
    expect(show(undefined)).toBe('nothing');
    expect(show(-Infinity)).toBe('-Infinity');
    expect(show({ a: 1 })).toBe('{"a":1}');
    const fn = () => 1;
    expect(show(fn)).toBe(String(fn)); // its source text, however the compiler printed it
    expect(show(10n)).toBe('10');
    const circular: any = {};
    circular.self = circular;
    expect(show(circular)).toBe('[object Object]');
  });

  test('prune drops undefined and empty objects deeply, keeps arrays, falsy values and non-empty objects', () => {
    expect(prune({ a: undefined, b: {}, c: { d: {} }, e: 0, f: '', g: false, h: [], i: { j: 1 } })).toEqual({ e: 0, f: '', g: false, h: [], i: { j: 1 } });
    expect(prune({ a: { b: undefined } })).toBeUndefined();
    expect(prune([{}, 1])).toEqual([undefined, 1]);
  });

  test('a manifest that cannot be read is a problem of its own, not a crash', () => {
    expect(readManifest('/nonexistent/dir/app.k8s.yaml')).toEqual({
      docs: [],
      problems: [{ file: '/nonexistent/dir/app.k8s.yaml', line: 0, column: 0, message: 'cannot be read (ENOENT)' }],
    });
  });
});

describe('RE2 checks', () => {
  test('1024 bytes pass, 1025 fail (bytes, not characters)', () => {
    expect(re2Problem('a'.repeat(1024))).toBeUndefined();
    expect(re2Problem('a'.repeat(1025))?.kind).toBe('length');
    expect(re2Problem('é'.repeat(513))?.problem).toMatch(/it has 1026/);
    expectMeshError(() => checkRe2(Testing.chart(), 'regex', 'a'.repeat(1025), 'use exact'), 'test', /regex must be at most 1024 characters.*got "a{40}\.\.\.": use a shorter pattern, or use exact/);
  });

  test('each kind of refusal has its own fix', () => {
    expectMeshError(() => checkRe2(Testing.chart(), 'regex', '(?=a)', 'use exact'), 'test', /lookaround.*rewrite it without \(\?=/);
    expectMeshError(() => checkRe2(Testing.chart(), 'regex', '(a)\\1', 'use exact'), 'test', /backreference.*rewrite it without \\1/);
    expectMeshError(() => checkRe2(Testing.chart(), 'regex', 'a{1001}', 'use exact'), 'test', /use a repeat count of 1000 or less/);
    expectMeshError(() => checkRe2(Testing.chart(), 'regex', 'a\\Z', 'use exact'), 'test', /use \\z \(end of text; RE2 syntax\)/);
    expectMeshError(() => checkRe2(Testing.chart(), 'regex', '(', 'use exact'), 'test', /is not a valid regular expression, got "\(": fix the pattern \(RE2 syntax\): RE2 says missing closing \)/);
    expect(() => checkRe2(Testing.chart(), 'regex', 'a+', 'use exact')).not.toThrow();
  });

  test('whatever RE2 throws, the message is its text', () => {
    const spy = jest.spyOn(RE2JS, 'compile').mockImplementation(() => { throw 'not an Error'; });
    try {
      expect(re2Problem('a')).toEqual({ kind: 'syntax', problem: 'is not a valid RE2 regular expression (not an Error)', detail: 'not an Error' });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the shared rendering of a synth (synth-once.ts) at its edges', () => {
  function appWith(build: (c: Chart) => void) {
    const outdir = mkdtempSync(join(tmpdir(), 'mesh-synth-edges-'));
    const app = new App({ outdir });
    const c = new Chart(app, 'c');
    build(c);
    refuseObjectCollisions(c); // installs the shared rendering on the App
    return { app, c, outdir };
  }

  test('a toJson() of an object\'s or a chart\'s own (a user\'s override) is used, and still there after the synth', () => {
    const { app, c, outdir } = appWith(() => undefined);
    try {
      const cm = new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
      const own = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { from: 'override' } });
      Object.defineProperty(cm, 'toJson', { value: own, configurable: true, writable: true });
      const chartOwn = () => [own(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' } }];
      Object.defineProperty(c, 'toJson', { value: chartOwn, configurable: true, writable: true });
      expect(app.synthYaml()).toContain('name: extra');
      expect(cm.toJson).toBe(own);
      expect(c.toJson).toBe(chartOwn);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a renderer that throws something other than an Error: our error with its text', () => {
    const { app, outdir } = appWith((c) => {
      new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: Lazy.any({ produce: () => { throw 'no data today'; } }) });
    });
    try {
      expect(() => app.synth()).toThrow(/c\/cm: rendering failed \(.*no data today.*\), got "ConfigMap\/cm"/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a MeshError from another copy of the library (same name, another class) passes through unchanged', () => {
    const foreign = Object.assign(new Error('other/copy: port must be a whole number'), { name: 'MeshError' });
    const { app, outdir } = appWith((c) => {
      new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: Lazy.any({ produce: () => { throw foreign; } }) });
    });
    try {
      let thrown: unknown;
      try { app.synth(); } catch (e) { thrown = e; }
      expect((thrown as Error).name).toBe('MeshError');
      expect((thrown as Error).message).toBe('other/copy: port must be a whole number');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('our own error thrown while rendering (a check in a Lazy) is thrown as it was, every line of it', () => {
    const { app, outdir } = appWith((c) => {
      new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: Lazy.any({ produce: () => fail('c/cm', 'data', 'x', 'must be late', 'fix it\nsecond line') }) });
    });
    try {
      expect(() => app.synth()).toThrow(new MeshError('c/cm: data must be late, got "x": fix it\nsecond line'));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a tree whose root is not an App gets its validations, computed afresh on every pass', () => {
    const root = new Construct(undefined as any, '');
    const c = new Construct(root, 'c');
    let calls = 0;
    addValidationOncePerSynth(c, () => { calls++; return ['bad']; });
    expect(c.node.validate()).toEqual(['bad']);
    expect(c.node.validate()).toEqual(['bad']);
    expect(calls).toBe(2);
  });
});

describe('string lists', () => {
  test('one string is refused with the list to write; a blank command gets a placeholder', () => {
    expectMeshError(() => checkStringList('x', 'container.command', 'npm  start', 'fix', true), 'x', /write command: \["npm","start"\]/);
    expectMeshError(() => checkStringList('x', 'args', '--port 80', 'fix'), 'x', /write args: \["--port 80"\]/);
    expectMeshError(() => checkStringList('x', 'command', '   ', 'fix', true), 'x', /write command: \["\.\.\."\]/);
    expectMeshError(() => checkStringList('x', 'command', ['node', ''], 'fix'), 'x', /command\[1\] must be a non-empty string/);
    expect(checkStringList('x', 'command', ['node'], 'fix')).toEqual(['node']);
  });
});

test('a manifest read failure without an error code says the message', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs');
  const spy = jest.spyOn(fs, 'readFileSync').mockImplementation(() => { throw new Error('no disk'); });
  try {
    expect(readManifest('app.k8s.yaml').problems[0].message).toBe('cannot be read (no disk)');
  } finally {
    spy.mockRestore();
  }
});
