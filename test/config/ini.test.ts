// The hand-written oslo-style INI parser: comments, whitespace, quotes, duplicates, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IniSyntaxError, parseIni } from '../../src/config';
import { thrown } from './helpers';

test('sections, keys, comments, blank lines and whitespace', () => {
  const doc = parseIni(
    [
      '# leading comment',
      '; another comment style',
      '',
      '[DEFAULT]',
      '   bind_host   =   0.0.0.0   ',
      '\tlog_level=debug',
      '    # indented comment',
      '[database]',
      'url = file:/var/lib/trio2o.db',
    ].join('\n'),
  );
  assert.deepEqual(Object.keys(doc), ['DEFAULT', 'database']);
  assert.deepEqual(doc.DEFAULT!.bind_host, { value: '0.0.0.0', line: 5 });
  assert.deepEqual(doc.DEFAULT!.log_level, { value: 'debug', line: 6 });
  assert.deepEqual(doc.database!.url, { value: 'file:/var/lib/trio2o.db', line: 9 });
});

test('a # or ; inside a value is kept (no inline comments)', () => {
  const doc = parseIni('[keystone]\npassword = ab#c;d = e\n');
  assert.equal(doc.keystone!.password!.value, 'ab#c;d = e');
});

test('matching surrounding quotes are removed, others kept', () => {
  const doc = parseIni(`[s]\na = " spaced "\nb = 'single'\nc = "unbalanced'\nd = "\ne =\n`);
  assert.equal(doc.s!.a!.value, ' spaced ');
  assert.equal(doc.s!.b!.value, 'single');
  assert.equal(doc.s!.c!.value, `"unbalanced'`);
  assert.equal(doc.s!.d!.value, '"');
  assert.equal(doc.s!.e!.value, '');
});

test('duplicate key: last wins and its line is kept; repeated section merges', () => {
  const doc = parseIni('[pods]\nconnections = 1\n[api]\nmax_limit = 5\n[pods]\nconnections = 2\nlist_timeout = 3\n');
  assert.deepEqual(doc.pods!.connections, { value: '2', line: 6 });
  assert.equal(doc.pods!.list_timeout!.value, '3');
  assert.equal(doc.api!.max_limit!.value, '5');
});

test('CRLF line endings and a UTF-8 BOM are accepted', () => {
  const doc = parseIni('\uFEFF[DEFAULT]\r\nbind_host = ::1\r\n');
  assert.equal(doc.DEFAULT!.bind_host!.value, '::1');
});

test('empty input and a section with no keys', () => {
  assert.deepEqual(Object.keys(parseIni('')), []);
  assert.deepEqual(Object.keys(parseIni('[empty]\n').empty!), []);
});

test('every bad line is reported with its line number', () => {
  const text = ['orphan = 1', '[DEFAULT]', 'just some words', '= value', '[]', 'bad key = x', 'ok = 1'].join('\n');
  const err = thrown(() => parseIni(text, '/etc/x.conf'));
  assert.ok(err instanceof IniSyntaxError);
  assert.deepEqual(err.problems, [
    'line 1: key "orphan" appears before any [section] header',
    'line 3: expected "[section]" or "key = value"',
    'line 4: missing key before "="',
    'line 5: empty section name "[]"',
    'line 6: invalid key (letters, digits, "_", "-", "." only)',
  ]);
  assert.match(err.message, /^\/etc\/x\.conf: 5 syntax error\(s\)/);
});

test('a bad line is never echoed (it may be a pasted password)', () => {
  const err = thrown(() => parseIni('[keystone]\nhunter2secret\n'));
  assert.ok(err instanceof IniSyntaxError);
  assert.ok(!err.message.includes('hunter2secret'));
  assert.match(err.message, /line 2/);
});
