/**
 * The request bodies the gateway reads, per resource, after cinder/api/schemas/*.py. Only the
 * fields the gateway acts on are checked (routing ids, the AZ, the type catalog and quotas it
 * owns); every other field passes through for the pod to judge. Shapes a microversion added
 * carry its number. Checked with `checkBody` (validation.ts) so a failure reads as Cinder's.
 */
import * as v from 'valibot';
import { boolFromString } from '../../http';
import { CINDER_QUERY } from '../common';
import { member, notOfType, nullableString, pyRepr, requiredId, tooLong, tooShort } from './validation';

// Volumes (cinder/api/schemas/volumes.py).

/** An id that may be null (Cinder's optional_uuid, a oneOf of uuid and null). */
const optionalId = v.nullish(v.string((i) => `${pyRepr(i.input)} is not valid under any of the given schemas`));

const volumeCreateEntries = {
  availability_zone: nullableString,
  snapshot_id: optionalId,
  source_volid: optionalId,
  group_id: optionalId,
};

export const volumeCreate = member('volume', v.looseObject(volumeCreateEntries));
/** 3.47: a volume from a backup. */
export const volumeCreate_3_47 = member('volume', v.looseObject({ ...volumeCreateEntries, backup_id: optionalId }));

// Snapshots and backups (snapshots.py, backups.py): made in the pod of their volume.

/** Cinder's schema takes a null volume_id (uuid_allow_null); the volume lookup then answers 404. */
export const snapshotCreate = member('snapshot', v.looseObject({ volume_id: v.union([requiredId, v.null()], (i) => `${pyRepr(i.input)} is not of type 'string', 'null'`) }));

export const backupCreate = member('backup', v.looseObject({ volume_id: requiredId, snapshot_id: optionalId }));

// Volume transfers (volume_transfer.py): made in the pod of their volume.

export const transferCreate = member('transfer', v.looseObject({ volume_id: requiredId }));

// Attachments (attachments.py), the API of 3.27.

export const attachmentCreate_3_27 = member('attachment', v.looseObject({ volume_uuid: requiredId, instance_uuid: v.nullish(v.string(notOfType('string'))) }));

// Volume types (volume_types.py, types_extra_specs.py, volume_type_access.py), owned by the gateway.

const MAX_LENGTH = 255;

const typeName = v.pipe(
  v.string(notOfType('string')),
  v.check((s) => s.trim() !== '', 'Volume type name can not be empty.'),
  v.check((s) => s.length <= MAX_LENGTH, `Type name has more than ${MAX_LENGTH} characters.`),
  v.transform((s) => s.trim()),
);

const typeDescription = v.nullable(
  v.pipe(
    v.string(notOfType('string', 'null')),
    v.check((s) => s.length <= MAX_LENGTH, `Volume type description has more than ${MAX_LENGTH} characters.`),
  ),
);

/** `is_public` as types_manage.py reads it: a boolean or any of oslo's words. */
const isPublic = v.pipe(
  v.unknown(),
  v.check((x) => typeof x === 'boolean' || boolFromString(String(x)) !== undefined, (i) => CINDER_QUERY.bool('is_public', String(i.input))),
  v.transform((x) => (typeof x === 'boolean' ? x : boolFromString(String(x)) === true)),
);

/** One extra spec value: a string (numbers and booleans are kept as their text), 255 at most. */
const specValue = v.pipe(
  v.union([v.string(), v.number(), v.boolean()], notOfType('string')),
  v.transform(String),
  v.maxLength(MAX_LENGTH, tooLong),
);
/** A key of 1 to 255 characters; jsonschema refuses others as properties it does not allow. */
const unexpected = (i: v.BaseIssue<unknown>) => `Additional properties are not allowed (${pyRepr(i.input)} was unexpected)`;
const specKey = v.pipe(v.string(), v.minLength(1, unexpected), v.maxLength(MAX_LENGTH, unexpected));

/** `{key: value}` extra specs, an object (not an array). */
export const extraSpecs = v.pipe(
  v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), notOfType('object')),
  v.record(specKey, specValue),
);

export const volumeTypeCreate = member(
  'volume_type',
  v.looseObject({
    name: typeName,
    description: v.optional(typeDescription),
    'os-volume-type-access:is_public': v.optional(isPublic),
    extra_specs: v.optional(extraSpecs),
  }),
);

export const volumeTypeUpdate = member(
  'volume_type',
  v.looseObject({
    name: v.nullish(typeName),
    description: v.optional(typeDescription),
    'os-volume-type-access:is_public': v.nullish(isPublic),
    is_public: v.nullish(isPublic),
  }),
);

export const extraSpecsCreate = member('extra_specs', extraSpecs);

/** `PUT /types/{id}/extra_specs/{key}`: exactly `{key: value}`, the key the URL names. */
export function extraSpecUpdate(key: string) {
  return v.pipe(
    v.unknown(),
    v.check((b) => typeof b === 'object' && b !== null && !Array.isArray(b) && Object.hasOwn(b, key), 'Request body and URI mismatch'),
    // The checks of a pipe all run: this one must not throw on the body the first refused.
    v.check((b) => typeof b !== 'object' || b === null || Object.keys(b).length <= 1, 'Request body contains too many items'),
    extraSpecs,
  );
}

export const TYPE_ACCESS_ACTIONS = ['addProjectAccess', 'removeProjectAccess'] as const;
export type TypeAccessAction = (typeof TYPE_ACCESS_ACTIONS)[number];

const projectAccess = v.looseObject({ project: v.pipe(v.string(notOfType('string')), v.minLength(1, tooShort)) }, notOfType('object'));

/** `{"addProjectAccess": {"project": "..."}}` (or removeProjectAccess). */
export function typeAccessAction<A extends TypeAccessAction>(action: A) {
  return v.looseObject({ [action]: projectAccess } as { [P in A]: typeof projectAccess });
}

// Quotas (quotas.py and the quota_set format of validators.py), kept by the gateway.

/** Fields of a quota set that are not quotas (Cinder's NON_QUOTA_KEYS). */
const NON_QUOTA_KEYS = ['id', 'tenant_id'];

/**
 * `{"quota_set": {resource: limit}}` for the resources in `known`, as Cinder's quota_set format
 * checks it: a value that is not an integer ≥ -1 is refused at once, unknown resources are named
 * together at the end. The output is the changes, as numbers.
 */
export function quotaSetUpdate(known: ReadonlySet<string>, key: 'quota_set' | 'quota_class_set' = 'quota_set') {
  return v.pipe(
    member(key, v.record(v.string(), v.unknown())),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const changes: Record<string, number> = {};
      const bad: string[] = [];
      for (const [k, x] of Object.entries((dataset.value as Record<string, Record<string, unknown>>)[key]!)) {
        if (NON_QUOTA_KEYS.includes(k)) continue;
        if (!known.has(k)) {
          bad.push(k);
          continue;
        }
        const n = typeof x === 'number' ? x : typeof x === 'string' && /^-?\d+$/.test(x.trim()) ? Number(x) : NaN;
        if (!Number.isInteger(n)) addIssue({ message: `${k} must be an integer` });
        else if (n < -1) addIssue({ message: `${k} must be >= -1` });
        else {
          changes[k] = n;
          continue;
        }
        return NEVER;
      }
      if (bad.length === 0) return changes;
      addIssue({ message: `Bad key(s) in quota set: ${bad.join(', ')}` });
      return NEVER;
    }),
  );
}
