// Test helpers shared by every test file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshedService } from '../src';
import { SHARED_VALIDATOR_AVAILABLE, VALIDATOR } from './shared-validator';

/** A synthesized Kubernetes object, as plain JSON. */
export type Obj = { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string; [k: string]: any }; [k: string]: any };

/** A fresh app and chart (namespace `shop` unless told otherwise). */
export function chart(namespace: string | undefined = 'shop'): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'test', { namespace }) };
}

/** Synthesizes a chart (runs validations, like `cdk8s synth`). */
export function synth(c: Chart): Obj[] {
  return Testing.synth(c) as Obj[];
}

/** The only object of a kind (and name, if given); fails the test when there is not exactly one. */
export function only(objs: Obj[], kind: string, name?: string): Obj {
  const found = all(objs, kind, name);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}${name ? `/${name}` : ''}, found ${found.length}`);
  }
  return found[0];
}

/** Every object of a kind (and name, if given). */
export function all(objs: Obj[], kind: string, name?: string): Obj[] {
  return objs.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}

/**
 * Asserts that `fn` throws the library's error (never a crash), mentioning the construct path
 * and matching the message.
 */
export function expectMeshError(fn: () => unknown, path: string, message: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected an error matching ${message} at ${path}, but nothing was thrown`);
  const text = String((thrown as Error).message ?? thrown);
  expect(isLibraryError(thrown)).toBe(true);
  expect(text).toContain(path);
  expect(text).toMatch(message);
}

/** True for the library's own errors: MeshError, or cdk8s's validation failure listing our messages. */
export function isLibraryError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'MeshError') return true;
  return /^Validation failed/.test(e.message) && !/TypeError|ReferenceError|Cannot read/.test(e.message);
}

/**
 * `test` when the shared validator is beside the clone, `test.skip` otherwise: a test that needs
 * it is reported as skipped, never as passed. test/global-setup.ts says why, once per run.
 */
export const testValidated: jest.It = SHARED_VALIDATOR_AVAILABLE ? test : test.skip;

/**
 * Outputs set aside by a describe block's tests for the shared validator, checked together by one
 * test that `test()` registers at the end of the block (skipped without the validator), so the
 * tests that produced them pass or fail on their own assertions everywhere.
 */
export class ForValidator {
  private readonly outputs: Obj[][] = [];

  /** Sets synthesized outputs aside for the validator. */
  public add(...outputs: Obj[][]): void {
    this.outputs.push(...outputs);
  }

  /** Registers the test that validates everything the tests before it set aside. */
  public test(title = 'the outputs of the tests above pass the shared strict validator (Istio 1.22.8 and 1.30.3, Kubernetes 1.27)'): void {
    testValidated(title, () => {
      expect(this.outputs.length).toBeGreaterThan(0);
      expect(validateWithShared(this.outputs)).toEqual([]);
    });
  }
}

/**
 * Runs the shared strict validator over objects. Returns its output lines on failure and []
 * on success. Only for tests registered with `testValidated` (or `ForValidator`).
 */
export function validateWithShared(objsList: Obj[][]): string[] {
  if (!SHARED_VALIDATOR_AVAILABLE) throw new Error(`the shared validator is not at ${VALIDATOR}: register this test with testValidated`);
  const dir = mkdtempSync(join(tmpdir(), 'mesh-validate-'));
  try {
    // cdk8s's own writer (YAML 1.1, as `cdk8s synth`): a label like `y` or `on` must stay a string for
    // YAML 1.1 readers (kubectl, the validator), so plain YAML 1.2 output would misreport it.
    objsList.forEach((objs, i) => writeFileSync(join(dir, `case-${i}.yaml`), Yaml.stringify(...objs)));
    try {
      execFileSync('node', [VALIDATOR, dir], { encoding: 'utf8', stdio: 'pipe' });
      return [];
    } catch (e: any) {
      return String(e.stdout ?? e.message).split('\n').filter((l) => l.trim());
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A construct scope for value-type tests. */
export function scope(): Construct {
  return chart().chart;
}

/**
 * One bad input and what its error must say: the construct path, the prop, the value received
 * (as the message shows it, after "got ") and a fix.
 */
export interface BadInput {
  /** The test's title. */
  readonly name: string;
  /** Builds (and synthesizes, when the check runs at synth) the bad input. */
  readonly run: () => unknown;
  /** The construct path the message starts with. */
  readonly path: string;
  /** The prop named right after the path. */
  readonly prop: string;
  /** The value as the message shows it after "got " (strings quoted, other values as JSON). */
  readonly value: string;
  /** What the fix (after the value) must say. */
  readonly fix: RegExp;
  /** Extra check on the fix text: that a suggested value is itself valid. */
  readonly validFix?: (fix: string) => boolean;
}

/** The parts of one of our messages: `<path>: <prop> <rule>, got <value>: <fix>`, found by path and prop. */
export function messageParts(text: string, path: string, prop: string): { rule: string; value: string; fix: string } | undefined {
  const start = text.indexOf(`${path}: ${prop} `);
  if (start < 0) return undefined;
  const line = text.slice(start + path.length + prop.length + 3).split('\n')[0];
  const got = line.indexOf(', got ');
  if (got < 0) return undefined;
  const rest = line.slice(got + 6);
  return { rule: line.slice(0, got), value: rest, fix: rest };
}

/**
 * Asserts a bad input is refused with our error, and that its message names the path, the prop,
 * the value and a fix (and that the fix passes `validFix`).
 */
export function expectClearError(c: BadInput): void {
  let thrown: unknown;
  try {
    c.run();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`${c.name}: expected our error, but nothing was thrown`);
  const text = String((thrown as Error).message ?? thrown);
  if (!isLibraryError(thrown)) throw new Error(`${c.name}: expected our error, got ${(thrown as Error).name}: ${text}`);
  const parts = messageParts(text, c.path, c.prop);
  if (!parts) throw new Error(`${c.name}: the message does not start with "${c.path}: ${c.prop} ... got ...":\n${text}`);
  if (!parts.value.startsWith(`${c.value}: `)) throw new Error(`${c.name}: expected the value ${c.value} after "got", in:\n${text}`);
  const fix = parts.value.slice(c.value.length + 2);
  expect(fix).toMatch(c.fix);
  if (c.validFix && !c.validFix(fix)) throw new Error(`${c.name}: the fix is not valid itself: ${fix}`);
}

/** Registers one test per bad input. */
export function badInputs(cases: BadInput[]): void {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => expectClearError(c));
}

/** The first double-quoted string in a fix, parsed. */
export function quoted(fix: string): string | undefined {
  const m = /"((?:[^"\\]|\\.)*)"/.exec(fix);
  return m ? JSON.parse(`"${m[1]}"`) : undefined;
}

/** Asserts `run` throws the library's error and that its message contains `message` verbatim. */
export function expectRefused(run: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected the error "${message}", but nothing was thrown`);
  expect(isLibraryError(thrown)).toBe(true);
  expect((thrown as Error).message).toContain(message);
}

/** Synthesizes one MeshedService `svc` (image ghcr.io/acme/shop:1.0, port 8080) with `props` over those, in namespace shop. */
export function synthService(props: Record<string, unknown>): Obj[] {
  const { chart: c } = chart();
  new MeshedService(c, 'svc', { image: 'ghcr.io/acme/shop:1.0', port: 8080, ...props } as any);
  return synth(c);
}
