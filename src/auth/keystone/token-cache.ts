// In-memory cache of token validations. Keys are SHA-256 digests of the tokens, so a heap dump
// or a debug print of the cache never shows a usable token. Entries carry their own deadline
// (the caller never sets one past the token's expiry); the Map's insertion order makes the
// first key the oldest, which is the one evicted when the cache is full.
import { createHash } from 'node:crypto';
import type { Identity, KeystoneStats } from './types';

/** The cache key of a token: hex SHA-256, never the token itself. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface Entry {
  /** null caches "Keystone said this token is not valid". */
  identity: Identity | null;
  /** Epoch ms after which the entry must not be used. */
  until: number;
}

export type CacheLookup = { found: true; identity: Identity | null } | { found: false };

export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  #hits = 0;
  #misses = 0;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** Looks a key up, counting a hit or a miss; an entry past its deadline is dropped and misses. */
  lookup(key: string, now: number): CacheLookup {
    const entry = this.#entries.get(key);
    if (entry && now < entry.until) {
      this.#hits++;
      return { found: true, identity: entry.identity };
    }
    if (entry) this.#entries.delete(key);
    this.#misses++;
    return { found: false };
  }

  /** A valid entry's identity, counted as a hit; undefined (nothing counted) otherwise. */
  peek(key: string, now: number): Identity | undefined {
    const entry = this.#entries.get(key);
    if (!entry || !entry.identity || now >= entry.until) return undefined;
    this.#hits++;
    return entry.identity;
  }

  /** Stores a result until `until` (epoch ms); nothing is stored if that is not in the future. */
  store(key: string, identity: Identity | null, until: number, now: number): void {
    if (until <= now || this.#maxEntries <= 0) return;
    this.#entries.delete(key); // re-insert at the end: it is now the newest
    this.#entries.set(key, { identity, until });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
  }

  stats(): KeystoneStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#entries.size };
  }
}
