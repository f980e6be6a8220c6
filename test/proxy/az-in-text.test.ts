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
