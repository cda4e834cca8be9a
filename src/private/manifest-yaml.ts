// Reads a YAML manifest file with the `yaml` package cdk8s bundles, keeping its errors (with
// line and column) instead of half-reading the file: a duplicate key, tab indentation or a
// broken document is a problem to report, never a success.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** A problem reading a manifest, where it is. */
export interface ManifestProblem {
  readonly file: string;
  /** 1-based; 0 when unknown (the file could not be read). */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The documents of a manifest file, and what could not be read. */
export function readManifest(file: string): { docs: unknown[]; problems: ManifestProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { docs: [], problems: [{ file, line: 0, column: 0, message: `cannot be read (${(e as { code?: string }).code ?? (e as Error).message})` }] };
  }
  // The `yaml` package is cdk8s's own dependency (the library ships none of its own).
  const YAML = createRequire(require.resolve('cdk8s'))('yaml');
  const docs: unknown[] = [];
  const problems: ManifestProblem[] = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = e.linePos?.[0];
        problems.push({ file, line: pos?.line ?? 0, column: pos?.col ?? 0, message: `${e.code}: ${String(e.message).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` });
      }
      continue; // a document with errors is not half-read
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) docs.push(value);
  }
  return { docs, problems };
}
