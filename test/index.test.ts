import * as pkg from '../src';

describe('the package entry', () => {
  test('exports names, not internals: every runtime export is a class or an enum', () => {
    const names = Object.keys(pkg);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      const value = (pkg as Record<string, unknown>)[name];
      expect({ name, publicName: /^[A-Z][A-Za-z0-9]*$/.test(name) }).toEqual({ name, publicName: true });
      // A class (function with a prototype) or an enum (object of string members); never a helper function or constant.
      const isClass = typeof value === 'function' && /^class\s/.test(Function.prototype.toString.call(value));
      const isEnum = typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
      expect({ name, classOrEnum: isClass || isEnum }).toEqual({ name, classOrEnum: true });
    }
  });
});
