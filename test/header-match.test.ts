import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { HeaderMatch, HeaderMatchType } from '../src';
import { expectMeshError } from './util';

describe('HeaderMatch', () => {
  const scope = () => new Construct(Testing.app(), 'release');

  test('renders the header route to a version, or none', () => {
    expect(HeaderMatch.exact('x-canary', 'true')._route('v3')).toEqual({ header: 'x-canary', value: 'true', matchType: HeaderMatchType.EXACT, version: 'v3' });
    expect(HeaderMatch.prefix('user-agent', 'qa-bot/')._route('v3')?.matchType).toBe(HeaderMatchType.PREFIX);
    expect(HeaderMatch.regex('x-tester', '(?i)alice')._route('v3')?.matchType).toBe(HeaderMatchType.REGEX);
    expect(HeaderMatch.none().isNone).toBe(true);
    expect(HeaderMatch.none()._route('v3')).toBeUndefined();
    expect(() => HeaderMatch.none()._check(scope(), 'headerOverride')).not.toThrow();
  });

  test('fails when the header is not one Istio matches, naming the prop it is bound to', () => {
    expectMeshError(() => HeaderMatch.exact('X-Canary', 'true')._check(scope(), 'headerOverride'), 'release', /headerOverride\.header must be a lowercase header name/);
    expectMeshError(() => HeaderMatch.exact('authority', 'x')._check(scope(), 'match'), 'release', /match\.header is a key Istio ignores/);
    expectMeshError(() => HeaderMatch.exact('x-canary', '')._check(scope(), 'match'), 'release', /match\.value must be a non-empty string/);
    expectMeshError(() => HeaderMatch.regex('x-tester', '(?=a)')._check(scope(), 'match'), 'release', /match\.pattern uses a lookaround/);
  });
});
