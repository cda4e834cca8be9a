import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
