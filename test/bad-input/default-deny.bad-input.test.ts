// Bad input to DefaultDeny, and file-system failures writing reports: our error naming the path
// (or the method), the prop, the value and a fix.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { DefaultDeny, DependencyGraph, MeshedService } from '../../src';
import { badInputs, chart, synth } from '../util';
import { base } from './constructs.shared';

const PATH = 'test/deny';
const deny = (props: unknown, namespace: string | null = 'shop') => () => {
  const c = new Chart(Testing.app(), 'test', { namespace: namespace ?? undefined });
  new DefaultDeny(c, 'deny', props as any);
  synth(c);
};

describe('DefaultDeny', () => {
  badInputs([
    { name: 'props null', run: deny(null), path: PATH, prop: 'props', value: 'null', fix: /\{ namespace: "shop" \}, or leave it out/ },
    { name: 'props a string', run: deny('shop'), path: PATH, prop: 'props', value: '"shop"', fix: /\{ namespace: "shop" \}/ },
    { name: 'namespace uppercase', run: deny({ namespace: 'Shop' }), path: PATH, prop: 'namespace', value: '"Shop"', fix: /"shop"/ },
    { name: 'namespace a number', run: deny({ namespace: 5 }), path: PATH, prop: 'namespace', value: '5', fix: /"shop"/ },
    { name: 'namespace unknown', run: deny({}, null), path: PATH, prop: 'namespace', value: 'nothing', fix: /set namespace on DefaultDeny or its chart/ },
    { name: 'istioApiVersion unknown', run: deny({ istioApiVersion: 'v5' }), path: PATH, prop: 'istioApiVersion', value: '"v5"', fix: /IstioApiVersion enum/ },
  ]);
});

describe('file-system failures writing reports', () => {
  let root: string;
  beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'mesh-fs-')); });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const graph = () => {
    const app = Testing.app({ outdir: join(root, 'dist') });
    new MeshedService(chart().chart, 'svc', base);
    return DependencyGraph.of(app);
  };
  test('EEXIST and ENOTDIR come back as our error naming the directory and the prop', () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    mkdirSync(join(root, 'ok'), { recursive: true });
    for (const [dir, code] of [[file, 'EEXIST'], [join(file, 'below'), 'ENOTDIR']] as const) {
      let thrown: any;
      try { graph().writeReport(dir); } catch (e) { thrown = e; }
      expect(thrown?.name).toBe('MeshError');
      expect(thrown.message).toContain(`DependencyGraph.writeReport: directory cannot be written to (${code}), got ${JSON.stringify(dir)}: name a directory`);
    }
  });
  badInputs([
    { name: 'writeReport options null', run: () => graph().writeReport(join(root, 'r'), null as any), path: 'DependencyGraph.writeReport', prop: 'options', value: 'null', fix: /controlPlaneRevisions: 1/ },
    { name: 'writeReport directory empty', run: () => graph().writeReport(''), path: 'DependencyGraph.writeReport', prop: 'directory', value: '""', fix: /'mesh-reports'/ },
  ]);
});
