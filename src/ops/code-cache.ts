/**
 * Whether this process started from its V8 code cache: the single executable's loader
 * (build/sea-loader.mjs) leaves 'accepted', 'rejected' (V8 flags other than the build's, so
 * the bundle was compiled from source: a slower start) or 'none' in a global. Anything else
 * (tsx, `node dist/trio2o.cjs`) has no code cache of its own.
 */
export type CodeCacheState = 'accepted' | 'rejected' | 'none' | 'not-sea';

export function codeCacheState(): CodeCacheState {
  const state = (globalThis as Record<symbol, unknown>)[Symbol.for('trio2o.codeCache')];
  return state === 'accepted' || state === 'rejected' || state === 'none' ? state : 'not-sea';
}
