// The AZ rewrite made in the answer's text: whenever it gives a text, that text parses to exactly
// what the parse → transform → serialize path gives; when an exact text edit does not exist
// (a metadata key of the same name, \u escapes, a value that is neither a string nor null) it
// gives none and the caller re-serializes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { azToTop } from '../../src/proxy';

const F = 'OS-EXT-AZ:availability_zone';
const servers = azToTop('top-az', { one: 'server', many: 'servers', field: F });
const volumes = azToTop('top', { one: 'volume', many: 'volumes', field: 'availability_zone' }, { one: 'backup', many: 'backups', field: 'availability_zone' });

function check(t: typeof servers, text: string): string | undefined {
  const edited = t.inText!(text, JSON.parse(text));
  if (edited !== undefined) assert.deepEqual(JSON.parse(edited), t(JSON.parse(text)), `exact for ${text}`);
  return edited;
}

test('one server, a list, null values, spacing: edited in place, the rest of the text byte for byte', () => {
  const one = `{"server": {"id": "a", "${F}": "nova", "name": "x\\"${F}\\": \\"y"}}`;
  assert.equal(check(servers, one), one.replace('"nova"', '"top-az"'));
  const list = `{"servers":[{"id":"a","${F}":"nova"},{"id":"b","${F}" :  null},{"id":"c"}]}`;
  assert.equal(check(servers, list), `{"servers":[{"id":"a","${F}":"top-az"},{"id":"b","${F}" :  "top-az"},{"id":"c"}]}`);
  const already = `{"server": {"${F}": "top-az"}}`;
  assert.equal(check(servers, already), already, 'nothing to change: the text as it came');
  const named = `{"server": {"${F}": "nova", "name": "${F}"}}`;
  assert.equal(check(servers, named), `{"server": {"${F}": "top-az", "name": "${F}"}}`, 'the name as a value is not a key');
});

test('no exact text edit: a metadata key of the same name, \\u escapes, a non-string value', () => {
  assert.equal(check(servers, `{"server": {"${F}": "nova", "metadata": {"${F}": "mine"}}}`), undefined);
  assert.equal(check(servers, `{"server": {"${F}": "nova", "name": "caf\\u00e9"}}`), undefined);
  assert.equal(check(servers, `{"server": {"${F}": 3}}`), undefined);
  assert.equal(check(servers, `{"server": {"${F}": "a", "${F}": "b"}}`), undefined, 'a duplicate key');
});

test('volumes and backups share the field name: each body edited exactly', () => {
  assert.equal(check(volumes, '{"volume": {"availability_zone": "nova", "id": "v"}}'), '{"volume": {"availability_zone": "top", "id": "v"}}');
  assert.equal(check(volumes, '{"backups": [{"availability_zone": "nova"}, {"availability_zone": null}]}'), '{"backups": [{"availability_zone": "top"}, {"availability_zone": "top"}]}');
  assert.equal(check(volumes, '{"volume": {"availability_zone": "nova", "metadata": {"availability_zone": "x"}}}'), undefined);
});

test('an inner zone of the pod (a host aggregate\'s) is kept; another pod\'s inner zone is not', () => {
  const inner = new Map([['zone-x', new Set(['pod-2'])]]);
  const inPod2 = azToTop({ top: 'az2', podId: 'pod-2', inner }, { one: 'server', many: 'servers', field: F });
  const list = `{"servers":[{"id":"a","${F}":"zone-x"},{"id":"b","${F}":"nova"}]}`;
  assert.equal(check(inPod2, list), `{"servers":[{"id":"a","${F}":"zone-x"},{"id":"b","${F}":"az2"}]}`);
  const kept = `{"server": {"${F}": "zone-x"}}`;
  assert.equal(check(inPod2, kept), kept, 'nothing to change');
  const inPod1 = azToTop({ top: 'az1', podId: 'pod-1', inner }, { one: 'server', many: 'servers', field: F });
  assert.equal(check(inPod1, kept), `{"server": {"${F}": "az1"}}`);
});
