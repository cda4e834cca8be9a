// The floor variant: the cost of writing the same YAML when the objects already exist as plain
// data. It loads the library's synthesized objects (JSON, made once in a prior, untimed step)
// and writes them in the same per-chart files with the serializer and options cdk8s uses
// (`Yaml.save`: yaml 2, YAML 1.1 schema, no line wrapping), so the bytes are identical.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BenchOptions, BenchReport, Phases } from './common';

/** The plain-data objects of one synthesized app: one entry per output file. */
export interface FloorData {
  readonly files: { readonly file: string; readonly docs: unknown[] }[];
}

export function run(opts: BenchOptions): BenchReport {
  if (!opts.floorData) throw new Error('floor: no floorData file given');
  const phases = new Phases();
  const data = JSON.parse(readFileSync(opts.floorData, 'utf8')) as FloorData;
  phases.end('load-json');
  mkdirSync(opts.outdir, { recursive: true });
  for (const f of data.files) {
    const text = f.docs.map((d) => stringify(d, { keepUndefined: true, lineWidth: 0, version: '1.1' })).join('---\n');
    writeFileSync(join(opts.outdir, f.file), text);
  }
  phases.end('write');
  return { features: [], phases: phases.result };
}
