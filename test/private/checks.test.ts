import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Duration } from 'cdk8s';
import { MeshProtocol } from '../../src';
import { checkCount, checkDuration, checkEnum, checkInt, checkNumber, checkPort, checkReason, INT32_MAX } from '../../src/private/checks';
import { checkReportDir, writeFiles } from '../../src/private/files';
import { definedOnly, prune } from '../../src/private/json';
import { expectMeshError } from '../util';

describe('one helper per check', () => {
  test('ranges: whole numbers, ports, int32 counts, fractions', () => {
    expect(checkInt('x', 'n', 0, 0, 100, 'fix')).toBe(0);
    expectMeshError(() => checkInt('x', 'n', 101, 0, 100, 'set n'), 'x', /^x: n must be a whole number from 0 to 100, got 101: set n$/);
    expectMeshError(() => checkInt('x', 'n', 1.5, 0, 100, 'set n'), 'x', /got 1\.5/);
    expectMeshError(() => checkInt('x', 'n', '5' as any, 0, 100, 'set n'), 'x', /got "5"/);
    expect(checkPort('x', 'port', 65535, 'fix')).toBe(65535);
    expectMeshError(() => checkPort('x', 'port', 65536, 'fix'), 'x', /from 1 to 65535, got 65536/);
    expect(checkCount('x', 'c', undefined, 'fix')).toBeUndefined();
    expect(checkCount('x', 'c', INT32_MAX, 'fix')).toBe(INT32_MAX);
    expectMeshError(() => checkCount('x', 'c', INT32_MAX + 1, 'fix'), 'x', /from 1 to 2147483647/);
    expectMeshError(() => checkCount('x', 'c', 0, 'fix'), 'x', /got 0/);
    expect(checkNumber('x', 'p', 0.5, 0, 100, 'must be a percentage', 'fix')).toBe(0.5);
    expectMeshError(() => checkNumber('x', 'p', NaN, 0, 100, 'must be a percentage', 'fix'), 'x', /p must be a percentage, got NaN/);
  });

  test('enums, durations and reasons', () => {
    expect(checkEnum('x', 'protocol', MeshProtocol.GRPC, MeshProtocol, 'MeshProtocol')).toBe(MeshProtocol.GRPC);
    expectMeshError(() => checkEnum('x', 'protocol', 'smtp' as MeshProtocol, MeshProtocol, 'MeshProtocol'), 'x', /protocol must be one of .*got "smtp": use the MeshProtocol enum/);
    checkDuration('x', 't', undefined, 'fix');
    checkDuration('x', 't', Duration.millis(1), 'fix');
    expectMeshError(() => checkDuration('x', 't', Duration.millis(0), 'fix'), 'x', /t must be at least 1 millisecond.*got "0ms"/);
    expect(checkReason('x', 'reason', '  long enough reason ', 'must say why', 'fix')).toBe('long enough reason');
    expectMeshError(() => checkReason('x', 'reason', 'short', 'must say why', 'fix', 'it is read in review'), 'x',
      /reason must say why in at least 10 characters: it is read in review, got "short": fix/);
  });

  test('pruning: deep drops undefined and empty objects; definedOnly keeps one level', () => {
    expect(prune({ a: undefined, b: {}, c: { d: undefined }, e: [1, { f: undefined }], g: 0 })).toEqual({ e: [1, undefined], g: 0 });
    expect(prune({ a: undefined })).toBeUndefined();
    expect(definedOnly({ a: undefined, b: 1, c: {} })).toEqual({ b: 1, c: {} });
  });

  test('report writing: a file-system failure is our error naming the prop', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-files-'));
    expect(writeFiles('x', 'reportDir', join(dir, 'out'), { 'a.md': 'a\n', 'b.json': '{}\n' })).toEqual([join(dir, 'out', 'a.md'), join(dir, 'out', 'b.json')]);
    const file = join(dir, 'file');
    writeFileSync(file, 'not a directory');
    expectMeshError(() => writeFiles('x', 'reportDir', join(file, 'sub'), { 'a.md': '' }), 'x', /reportDir cannot be written to \((ENOTDIR|EEXIST)\), got ".*": name a directory/);
    expectMeshError(() => writeFiles('x', 'reportDir', file, { 'a.md': '' }), 'x', /reportDir cannot be written to \((ENOTDIR|EEXIST)\)/);
  });

  test('report directories: outside the outdir only (relative or absolute), never a non-path', () => {
    for (const ok of ['mesh-reports', 'dist-reports', '../dist', join(tmpdir(), 'r'), './distx']) {
      expect(checkReportDir('x', 'reportDir', ok, ['dist'])).toBe(ok);
    }
    expect(checkReportDir('x', 'reportDir', 'dist', [])).toBe('dist'); // no outdir known: nothing to compare
    for (const bad of ['dist', './dist', 'dist/', 'dist/reports', 'dist/a/../b', resolve('dist', 'r')]) {
      expectMeshError(() => checkReportDir('x', 'reportDir', bad, ['dist']), 'x',
        /^x: reportDir is inside the app's outdir "dist", which holds Kubernetes manifests only, got ".*": write reports beside it instead, e\.g\. "mesh-reports" \(kubectl apply -f dist would read a report as a manifest\)$/);
    }
    expectMeshError(() => checkReportDir('x', 'reportDir', '/srv/app/dist/r', ['/srv/app/dist']), 'x', /e\.g\. "\/srv\/app\/mesh-reports"/);
    for (const bad of ['', '  ', 42, null]) {
      expectMeshError(() => checkReportDir('x', 'reportDir', bad, ['dist']), 'x', /reportDir must be a directory path, got/);
    }
  });
});
