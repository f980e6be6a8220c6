// Simulated Glance v2 for the pod simulator.
// createImageService(env) gives the Hono app the pod mounts at '/image', seeded
// with CirrOS (CIRROS_IMAGE_ID) and two more public images. The service also
// serves as the volume service's ImageLookup (vol.useImages(img)).
import type { Hono } from 'hono';
import type { ImageLookup, NewImage } from '../volume/state';
import type { SimServiceEnv } from '../volume/types';
import type { SimImage } from './images';
import { seedImages, uploadedImage } from './images';
import { buildGlanceApp } from './service';

export type { SimIdentity, SimServiceEnv } from '../volume/types';
export type { SimImage } from './images';
export { CIRROS_IMAGE_ID, CIRROS_IMAGE_NAME, imageView, snapshotImage } from './images';

export interface ImageService extends ImageLookup {
  /** Mounted by the pod at '/image'. */
  app: Hono;
  images: Map<string, SimImage>;
  get(id: string): SimImage | undefined;
  list(): SimImage[];
  /** Add an active image (used by os-volume_upload_image); returns its id. */
  add(image: NewImage): string;
}

/**
 * @param env the pod's service env (identity resolver; the rest is unused by Glance)
 * @example
 *   const img = createImageService(env);
 *   app.route('/image', img.app);
 *   vol.useImages(img);
 */
export function createImageService(env: SimServiceEnv): ImageService {
  const images = new Map<string, SimImage>(seedImages().map((i) => [i.id, i]));
  const app = buildGlanceApp(env, images) as unknown as Hono;
  return {
    app,
    images,
    get: (id) => images.get(id),
    list: () => [...images.values()],
    add(fields) {
      const img = uploadedImage(fields);
      images.set(img.id, img);
      return img.id;
    },
  };
}
