import { join } from 'node:path';
import { Yaml } from 'cdk8s';
import { check, lines, virtualService } from './objects';
import { KObject } from '../../src/rules/rule';
import { vsRegexMatch } from '../../src/rules/vs-002-regex-match';
import { vsInvalidRegex } from '../../src/rules/vs-005-invalid-regex';

const ISTIO = join(__dirname, '..', 'fixtures', 'istio-analyzers');
const route = [{ destination: { host: 'checkout' } }];

describe('MESH-VS-005 vs-invalid-regex (IST0122, error)', () => {
  test('level is error, mirrors IST0122', () => {
    expect(vsInvalidRegex.level).toBe('error');
    expect(vsInvalidRegex.istioCodes).toEqual(['IST0122']);
  });

  test('istio testdata virtualservice_regexes.yaml (1.22.8): the analyzer\'s findings, and valid regexes stay MESH-VS-002 warnings', () => {
    const objects = Yaml.load(join(ISTIO, 'virtualservice_regexes.yaml')) as KObject[];
    const hits = check(vsInvalidRegex, ...objects);
    expect(hits.map((h) => `VirtualService ${h.object.metadata?.name}`)).toEqual([
      'VirtualService bad-match', 'VirtualService ecma-not-v2',
      ...Array(6).fill('VirtualService lots-of-regexes'),
    ]);
    expect(hits.find((h) => h.object.metadata?.name === 'ecma-not-v2')?.message).toMatch(/uses a lookaround, which RE2/);
    // The valid one is only MESH-VS-002's (a warning); the invalid ones are not warned about twice.
    expect(check(vsRegexMatch, ...objects).map((h) => h.object.metadata?.name)).toEqual(['valid-regexp']);
  });

  test('passes valid RE2 that JavaScript would refuse or read otherwise, and withoutHeaders "*"', () => {
    expect(check(vsInvalidRegex, virtualService('checkout', {
      hosts: ['checkout'],
      http: [{
        match: [{ uri: { regex: '(?P<v>v[0-9]+)/.*' }, headers: { 'x-user': { regex: '(?i)ALICE|bob' } }, withoutHeaders: { 'x-debug': { regex: '*' } } }],
        corsPolicy: { allowOrigins: [{ regex: 'https://.*\\.acme\\.com' }] },
        route,
      }],
    }))).toEqual([]);
  });

  test('fails on invalid RE2 everywhere istiod checks: backreference, empty, too long, corsPolicy', () => {
    const hits = check(vsInvalidRegex, virtualService('checkout', {
      hosts: ['checkout'],
      http: [{
        match: [{ method: { regex: '' }, withoutHeaders: { 'x-a': { regex: '(a)\\1' } }, queryParams: { q: { regex: 'a'.repeat(1025) } } }],
        corsPolicy: { allowOrigins: [{ regex: 'https://(?<!www\\.)acme.com' }] },
        route,
      }],
    }));
    expect(lines(hits).map((l) => l.replace(/"a{60}\.\.\."/, '"a..."'))).toEqual([
      'VirtualService/shop/checkout /spec/http/0/match/0/method/regex: method regex "" is empty, which istiod rejects for a regex match',
      'VirtualService/shop/checkout /spec/http/0/match/0/queryParams/q/regex: queryParams "q" regex "a..." must be at most 1024 characters (istiod\'s limit), it has 1025',
      'VirtualService/shop/checkout /spec/http/0/match/0/withoutHeaders/x-a/regex: withoutHeaders "x-a" regex "(a)\\\\1" uses a backreference, which RE2 (Envoy\'s regex engine) does not support',
      'VirtualService/shop/checkout /spec/http/0/corsPolicy/allowOrigins/0/regex: corsPolicy.allowOrigins regex "https://(?<!www\\\\.)acme.com" uses a lookaround, which RE2 (Envoy\'s regex engine) does not support',
    ]);
  });
});
