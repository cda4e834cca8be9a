import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * Writes report files into a directory (created if missing). A file-system failure (a file
 * where the directory should be, no permission) comes back as our error, naming the prop that
 * chose the directory.
 *
 * @returns the paths written, in the order given
 */
export function writeFiles(scope: IConstruct | string, prop: string, directory: string, files: Record<string, string>): string[] {
  try {
    mkdirSync(directory, { recursive: true });
    return Object.entries(files).map(([name, content]) => {
      const path = join(directory, name);
      writeFileSync(path, content);
      return path;
    });
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e as Error).message;
    return fail(scope, prop, directory, `cannot be written to (${code})`, 'name a directory that can be created and written, or remove what is in the way');
  }
}

/**
 * The output directory of the cdk8s App a construct belongs to, or undefined when the root of
 * its tree is not an App (a bare construct in a test).
 */
export function appOutdir(scope: IConstruct): string | undefined {
  const outdir = (scope.node.root as { outdir?: unknown }).outdir;
  return typeof outdir === 'string' ? outdir : undefined;
}

/**
 * Checks a directory chosen for reports: a non-empty path, not the app's outdir and not inside it.
 * The outdir holds Kubernetes manifests only, because whatever reads it next
 * (`kubectl apply -f dist/`, `istioctl analyze dist/`, a GitOps controller) takes every
 * `.yaml`, `.yml` and `.json` file there for a manifest, and a report is not one
 * (istio/istio istioctl/pkg/analyze/analyze.go, 1.30.3: `fileExtensions` .json, .yaml, .yml;
 * kubectl: k8s.io/cli-runtime pkg/resource/builder.go, `FileExtensions`, the same three).
 */
export function checkReportDir(scope: IConstruct | string, prop: string, directory: unknown, outdirs: readonly string[]): string {
  if (typeof directory !== 'string' || !directory.trim()) {
    return fail(scope, prop, directory, 'must be a directory path', "name a directory outside the app's outdir, e.g. 'mesh-reports'");
  }
  for (const outdir of outdirs) {
    const rel = relative(resolve(outdir), resolve(directory));
    const inside = rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
    if (inside) {
      return fail(scope, prop, directory, `is inside the app's outdir ${JSON.stringify(outdir)}, which holds Kubernetes manifests only`,
        `write reports beside it instead, e.g. ${JSON.stringify(join(dirname(outdir), 'mesh-reports'))} (kubectl apply -f ${outdir} would read a report as a manifest)`);
    }
  }
  return directory;
}
