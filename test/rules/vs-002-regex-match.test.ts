import { check, lines, virtualService } from './objects';
import { vsRegexMatch } from '../../src/rules/vs-002-regex-match';

describe('MESH-VS-002 vs-regex-match', () => {
  test('passes exact and prefix matches', () => {
    expect(check(vsRegexMatch, virtualService('checkout', {
      hosts: ['checkout'],
      http: [{ match: [{ uri: { prefix: '/api' }, headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: { host: 'checkout' } }] }],
    }))).toEqual([]);
  });

  test('warns on regex in uri and headers', () => {
    const hits = check(vsRegexMatch, virtualService('checkout', {
      hosts: ['checkout'],
      http: [{ match: [{ uri: { regex: '/api/v[0-9]+/.*' }, headers: { 'x/user': { regex: '.*beta.*' } } }], route: [{ destination: { host: 'checkout' } }] }],
    }));
    expect(lines(hits)).toEqual([
      'VirtualService/shop/checkout /spec/http/0/match/0/uri/regex: uri is matched by the regex "/api/v[0-9]+/.*"',
      'VirtualService/shop/checkout /spec/http/0/match/0/headers/x~1user/regex: headers "x/user" is matched by the regex ".*beta.*"',
    ]);
    expect(vsRegexMatch.level).toBe('warning');
  });
});
