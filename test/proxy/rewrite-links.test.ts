// Links in a pod's answer point at the gateway: every `{podRoot}/…`, its JSON-escaped spelling
// `{podRoot with \/}\/…`, and a quoted link to the root itself, replaced left to right without
// overlap; nothing else in the text changes, and characters of the gateway root that
// String#replace would read as patterns (`$&`, `$1`, `$$`) are written as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteLinks } from '../../src/proxy/rewrite';

const POD = 'http://10.0.0.5:8774/compute';
const GW = 'https://gw.example:8774';

test('plain links, escaped links and a link to the root are rewritten; the rest is kept byte for byte', () => {
  const text = `{"a": "${POD}/v2.1/p/servers/x", "b": "${POD.replaceAll('/', '\\/')}\\/v2.1", "c": "${POD}", "d": "${POD}x", "e": "prefix ${POD}/y"}`;
  assert.equal(
    rewriteLinks(text, POD, GW),
    `{"a": "${GW}/v2.1/p/servers/x", "b": "${GW.replaceAll('/', '\\/')}\\/v2.1", "c": "${GW}", "d": "${POD}x", "e": "prefix ${GW}/y"}`,
  );
});

test('a text without the pod root is returned as it is, and so is every text when both roots are equal', () => {
  const text = '{"server": {"id": "x", "links": []}}';
  assert.equal(rewriteLinks(text, POD, GW), text);
  assert.equal(rewriteLinks(`"${POD}/x"`, POD, POD), `"${POD}/x"`);
  assert.equal(rewriteLinks('application/json', POD, GW), 'application/json');
});

test('a gateway root holding `$` patterns is written literally', () => {
  for (const gw of ['http://gw/$&', 'http://gw/$1', 'http://gw/$$x', "http://gw/$'", 'http://gw/$`']) {
    assert.equal(rewriteLinks(`["${POD}/a", "${POD}", "${POD.replaceAll('/', '\\/')}\\/b"]`, POD, gw), `["${gw}/a", "${gw}", "${gw.replaceAll('/', '\\/')}\\/b"]`, gw);
  }
});

test('repeated and adjacent occurrences are each replaced once, left to right', () => {
  const text = `${POD}/${POD}/"${POD}""${POD}"`;
  assert.equal(rewriteLinks(text, POD, GW), `${GW}/${GW}/"${GW}""${GW}"`);
  // The same pod root toward two gateway roots (two listeners' public URLs) gives each its own.
  assert.equal(rewriteLinks(`${POD}/x`, POD, 'http://other'), 'http://other/x');
  assert.equal(rewriteLinks(`${POD}/x`, POD, GW), `${GW}/x`);
});
