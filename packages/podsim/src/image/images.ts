// Glance v2 image records and the images every simulated pod starts with.
// Field names are Glance's own, so a record is (nearly) its JSON view and the
// volume service can read it as an ImageLookupResult.
import { randomUUID } from 'node:crypto';

/** Fixed id of the seeded CirrOS image, the same in every pod (as a synced image would be). */
export const CIRROS_IMAGE_ID = '6f4b2a5c-3f1e-4b8a-9c2d-7e0a1b2c3d4e';
export const CIRROS_IMAGE_NAME = 'cirros-0.6.2-x86_64-disk';
/** Owner of the seeded images: the cloud admin project. */
export const SEED_OWNER = '8e6c7f4a2b1d4c3e9f0a1b2c3d4e5f60';

export interface SimImage {
  id: string;
  name: string | null;
  status: string;
  visibility: 'public' | 'private' | 'shared' | 'community';
  size: number | null;
  virtual_size: number | null;
  disk_format: string | null;
  container_format: string | null;
  min_ram: number;
  min_disk: number;
  created_at: string;
  updated_at: string;
  tags: string[];
  owner: string | null;
  protected: boolean;
  checksum: string | null;
  os_hidden: boolean;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  /** Extra (custom) properties, shown as top-level keys as Glance does. */
  properties: Record<string, string>;
}

/** Glance timestamps: seconds precision with 'Z'. */
export function glanceTime(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function image(fields: Partial<SimImage> & Pick<SimImage, 'id' | 'name'>, at: Date): SimImage {
  return {
    status: 'active',
    visibility: 'public',
    size: null,
    virtual_size: null,
    disk_format: 'qcow2',
    container_format: 'bare',
    min_ram: 0,
    min_disk: 0,
    created_at: glanceTime(at),
    updated_at: glanceTime(at),
    tags: [],
    owner: SEED_OWNER,
    protected: false,
    checksum: null,
    os_hidden: false,
    os_hash_algo: null,
    os_hash_value: null,
    properties: {},
    ...fields,
  };
}

/** The seeded images: CirrOS (as devstack uploads it) and two more to make lists worth paging. */
export function seedImages(): SimImage[] {
  const base = Date.parse('2024-01-01T00:00:00Z');
  return [
    image(
      {
        id: CIRROS_IMAGE_ID,
        name: CIRROS_IMAGE_NAME,
        size: 21430272,
        virtual_size: 117440512,
        checksum: 'c8fc807773e5354afe61636071771906',
        os_hash_algo: 'sha512',
        os_hash_value:
          '1103b92ce8ad966e41235a4de260deb791ff571670c0342666c8582fbb9caefe' +
          '6af07ebb11d34f44f8414b609b29c1bdf1d72ffa6faa39c88e8721d09847952b',
        properties: { hw_rng_model: 'virtio', owner_specified_openstack_object: 'image' },
      },
      new Date(base),
    ),
    image(
      { id: '2d7c8e1f-5a4b-4c3d-8e9f-0a1b2c3d4e5f', name: 'ubuntu-22.04-server', size: 653262848, min_disk: 3, min_ram: 512 },
      new Date(base + 1000),
    ),
    image(
      { id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', name: 'fedora-coreos', size: 812646400, disk_format: 'raw' },
      new Date(base + 2000),
    ),
  ];
}

/** A new private or public image created on behalf of a volume upload (os-volume_upload_image). */
export function uploadedImage(fields: {
  name: string;
  disk_format: string;
  container_format: string;
  size: number;
  visibility: string;
  protected: boolean;
  owner: string;
}): SimImage {
  const visibility = (['public', 'private', 'shared', 'community'] as const).find((v) => v === fields.visibility) ?? 'private';
  return image(
    {
      id: randomUUID(),
      name: fields.name,
      status: 'active',
      visibility,
      size: fields.size,
      disk_format: fields.disk_format,
      container_format: fields.container_format,
      owner: fields.owner,
      protected: fields.protected,
    },
    new Date(),
  );
}

/** The Glance v2 JSON view of one image. */
export function imageView(img: SimImage): Record<string, unknown> {
  return {
    ...img.properties,
    id: img.id,
    name: img.name,
    status: img.status,
    visibility: img.visibility,
    size: img.size,
    virtual_size: img.virtual_size,
    disk_format: img.disk_format,
    container_format: img.container_format,
    checksum: img.checksum,
    protected: img.protected,
    min_ram: img.min_ram,
    min_disk: img.min_disk,
    owner: img.owner,
    os_hidden: img.os_hidden,
    os_hash_algo: img.os_hash_algo,
    os_hash_value: img.os_hash_value,
    created_at: img.created_at,
    updated_at: img.updated_at,
    tags: [...img.tags],
    self: `/v2/images/${img.id}`,
    file: `/v2/images/${img.id}/file`,
    schema: '/v2/schemas/image',
  };
}

/**
 * A queued private image made by Nova's createImage or createBackup (the compute host uploads
 * the data afterwards); `properties` carries image_type, instance_uuid and the caller's metadata.
 */
export function snapshotImage(fields: { name: string; owner: string; min_disk: number; properties: Record<string, string> }): SimImage {
  return image({ id: randomUUID(), name: fields.name, status: 'queued', visibility: 'private', owner: fields.owner, min_disk: fields.min_disk, properties: fields.properties }, new Date());
}
