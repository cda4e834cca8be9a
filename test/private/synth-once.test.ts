import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart, JsonPatch, Lazy, Testing, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshedService } from '../../src/index';
import { addValidationOncePerSynth, renderedJson } from '../../src/private/synth-once';

describe('addValidationOncePerSynth', () => {
  test('a whole-app check runs once per app.synth(), not once per chart', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-once-'));
    try {
      const app = new App({ outdir });
      for (const ns of ['a', 'b', 'c', 'd']) new MeshedService(new Chart(app, ns, { namespace: ns }), 'svc', { image: 'x:1', port: 80 });
      let plain = 0;
      let once = 0;
      const probe = new Construct(app, 'probe');
      probe.node.addValidation({ validate: () => { plain++; return []; } });
      addValidationOncePerSynth(probe, () => { once++; return []; });
      app.synth();
      expect(plain).toBe(5); // cdk8s: once for the app, once per chart
      expect(once).toBe(1);
      app.synth();
      expect(once).toBe(2); // a new synth computes afresh
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('outside app.synth() every validation pass computes afresh, and errors replay in every pass', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    let calls = 0;
    let broken = false;
    addValidationOncePerSynth(chart, () => { calls++; return broken ? ['it broke'] : []; });
    Testing.synth(chart);
    broken = true;
    expect(() => Testing.synth(chart)).toThrow(/it broke/);
    expect(calls).toBe(2);
    expect(() => app.synth()).toThrow(/it broke/);
  });

  test('renderedJson: within app.synth() an object is rendered once for checks and writer alike', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-once-'));
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'c');
      let renders = 0;
      const cm = new ApiObject(chart, 'cm', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm' },
        data: Lazy.any({ produce: () => { renders++; return { k: 'v' }; } }),
      });
      let seen: any;
      addValidationOncePerSynth(chart, () => { seen = renderedJson(cm); return []; });
      app.synth();
      expect(seen.data).toEqual({ k: 'v' });
      expect(renders).toBe(1);
      // after the synth the object renders live again
      expect(Object.prototype.hasOwnProperty.call(cm, 'toJson')).toBe(false);
      cm.toJson();
      expect(renders).toBe(2);
      // outside a synth, renderedJson is plain toJson
      renderedJson(cm);
      expect(renders).toBe(3);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('synth is all-or-nothing across charts', () => {
  function twoCharts(breakSecond: (c: Chart) => void): { app: App; outdir: string } {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-atomic-'));
    const app = new App({ outdir });
    new MeshedService(new Chart(app, 'a', { namespace: 'a' }), 'svc', { image: 'x:1', port: 80 });
    const second = new Chart(app, 'b', { namespace: 'b' });
    new MeshedService(second, 'svc', { image: 'x:1', port: 80 });
    breakSecond(second);
    return { app, outdir };
  }

  test('a JSON patch to a missing path in the second chart: our error naming the object, and the outdir stays empty', () => {
    const { app, outdir } = twoCharts((c) => {
      new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } })
        .addJsonPatch(JsonPatch.replace('/data/missing/key', 'x'));
    });
    try {
      let thrown: any;
      try { app.synth(); } catch (e) { thrown = e; }
      expect(thrown?.name).toBe('MeshError');
      expect(thrown.message).toContain('b/cm');
      expect(thrown.message).toMatch(/rendering failed .*ConfigMap\/cm.*addJsonPatch/);
      expect(readdirSync(outdir)).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a renderer error (a TypeError inside a Lazy) in the second chart: our error, no files', () => {
    const { app, outdir } = twoCharts((c) => {
      new ApiObject(c, 'cm', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm' },
        data: Lazy.any({ produce: () => (undefined as any).boom }),
      });
    });
    try {
      let thrown: any;
      try { app.synth(); } catch (e) { thrown = e; }
      expect(thrown?.name).toBe('MeshError');
      expect(thrown.message).toMatch(/b\/cm: rendering failed \(TypeError: /);
      expect(readdirSync(outdir)).toEqual([]);
      expect(() => app.synthYaml()).toThrow(/b\/cm: rendering failed/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a good synth renders each object once and writes every chart', () => {
    let renders = 0;
    const { app, outdir } = twoCharts((c) => {
      new ApiObject(c, 'cm', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm' },
        data: Lazy.any({ produce: () => { renders++; return { k: 'v' }; } }),
      });
    });
    try {
      app.synth();
      expect(renders).toBe(1);
      expect(readdirSync(outdir).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
      // after the synth the objects render live again
      Testing.synth(app.charts[1]);
      expect(renders).toBe(2);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('one file per resource: each object is still rendered once', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-atomic-'));
    try {
      const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
      const c = new Chart(app, 'c');
      let renders = 0;
      new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: Lazy.any({ produce: () => { renders++; return { k: 'v' }; } }) });
      app.synth();
      expect(renders).toBe(1);
      expect(readdirSync(join(outdir, 'c'))).toEqual(['ConfigMap.cm.k8s.yaml']);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
