import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart, Lazy, Testing } from 'cdk8s';
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
