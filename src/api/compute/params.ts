/**
 * Nova's request parameter types (nova/api/validation/parameter_types.py) as valibot schemas,
 * shared by the resources the gateway validates itself.
 */
import * as v from 'valibot';
import { boolFromString } from '../../http';

/** Nova's db MAX_INT. */
export const MAX_INT = 2147483647;

/** An integer given as a number or a decimal string, within [min, MAX_INT]. */
export function intLike(min: number, max = MAX_INT) {
  return v.pipe(
    v.union([v.pipe(v.number(), v.integer()), v.pipe(v.string(), v.regex(/^-?[0-9]+$/, 'must be an integer'), v.transform(Number))], 'must be an integer'),
    v.minValue(min, `must be >= ${min}`),
    v.maxValue(max, `must be <= ${max}`),
  );
}

/** The strings of Nova's `boolean` enum; every one is an oslo boolean word. */
const BOOLEAN_WORDS = ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'];

/** Nova's `boolean`: true/false or one of its words, read as oslo's bool_from_string reads them. */
export const novaBoolean = v.pipe(
  v.union([v.boolean(), v.picklist(BOOLEAN_WORDS)], 'is not a boolean'),
  v.transform((b) => (typeof b === 'boolean' ? b : boolFromString(b) === true)),
);

/** Nova's `name` format: printable, no leading or trailing whitespace, 1–255 characters. */
export const novaName = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(255, 'is longer than 255 characters'),
  v.check((s) => s.trim() === s, 'has leading or trailing whitespace'),
  // eslint-disable-next-line no-control-regex
  v.check((s) => !/[\x00-\x1f\x7f]/.test(s), 'has non-printable characters'),
);

/** Nova's `metadata`: keys `^[a-zA-Z0-9-_:. ]{1,255}$`, string values up to 255 characters. */
export const METADATA_KEY = /^[a-zA-Z0-9-_:. ]{1,255}$/;
export const novaMetadata = v.pipe(
  v.record(v.string(), v.pipe(v.string('must be a string'), v.maxLength(255, 'is longer than 255 characters'))),
  v.check((m) => Object.keys(m).every((k) => METADATA_KEY.test(k)), "has a key that does not match '^[a-zA-Z0-9-_:. ]{1,255}$'"),
);
