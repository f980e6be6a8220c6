// Trimmed Glance v2 schemas (/v2/schemas/image, /v2/schemas/images): the
// base properties and their types, so schema-driven clients (glanceclient)
// can build image models. Extra properties are strings, as in Glance.
const NULLABLE_STRING = { type: ['null', 'string'] };
const NULLABLE_INT = { type: ['null', 'integer'] };

export const IMAGE_SCHEMA = {
  name: 'image',
  properties: {
    id: { type: 'string', pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$' },
    name: { ...NULLABLE_STRING, maxLength: 255 },
    status: { type: 'string', readOnly: true, enum: ['queued', 'saving', 'active', 'killed', 'deleted', 'uploading', 'importing', 'pending_delete', 'deactivated'] },
    visibility: { type: 'string', enum: ['community', 'public', 'private', 'shared'] },
    protected: { type: 'boolean' },
    os_hidden: { type: 'boolean' },
    checksum: { ...NULLABLE_STRING, readOnly: true },
    os_hash_algo: { ...NULLABLE_STRING, readOnly: true },
    os_hash_value: { ...NULLABLE_STRING, readOnly: true },
    owner: NULLABLE_STRING,
    size: { ...NULLABLE_INT, readOnly: true },
    virtual_size: { ...NULLABLE_INT, readOnly: true },
    container_format: { ...NULLABLE_STRING, enum: [null, 'ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'] },
    disk_format: { ...NULLABLE_STRING, enum: [null, 'ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'] },
    created_at: { type: 'string', readOnly: true },
    updated_at: { type: 'string', readOnly: true },
    tags: { type: 'array', items: { type: 'string', maxLength: 255 } },
    self: { type: 'string', readOnly: true },
    file: { type: 'string', readOnly: true },
    schema: { type: 'string', readOnly: true },
    min_ram: { type: 'integer' },
    min_disk: { type: 'integer' },
  },
  additionalProperties: { type: 'string' },
  links: [
    { rel: 'self', href: '{self}' },
    { rel: 'enclosure', href: '{file}' },
    { rel: 'describedby', href: '{schema}' },
  ],
};

export const IMAGES_SCHEMA = {
  name: 'images',
  properties: {
    images: { type: 'array', items: IMAGE_SCHEMA },
    schema: { type: 'string' },
    first: { type: 'string' },
    next: { type: 'string' },
  },
  links: [
    { rel: 'first', href: '{first}' },
    { rel: 'next', href: '{next}' },
    { rel: 'describedby', href: '{schema}' },
  ],
};
