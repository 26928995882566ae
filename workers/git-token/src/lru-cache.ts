interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded in-isolate cache whose entries also expire by time. An isolate has 128 MB, so every cache
 * in memory must have both bounds; the least recently used entry goes first (Map keeps insertion
 * order: a hit is re-inserted at the end).
 */
export class LruCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /** The key last inserted (the map's newest): a hit on it needs no re-insertion. */
  private newest: string | undefined;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(maxEntries: number, now: () => number = Date.now) {
    this.maxEntries = maxEntries;
    this.now = now;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.delete(key);
      return undefined;
    }
    // Re-inserted to become the newest, unless it already is: warm calls hit the same key in a row, and
    // the delete and set of every hit were a measurable part of them (P2 in docs/BENCHMARKS.md).
    if (key !== this.newest) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.newest = key;
    }
    return entry.value;
  }

  /** Stores `value` until `expiresAt` (epoch ms); nothing is stored when that is already past. */
  set(key: string, value: V, expiresAt: number): void {
    this.delete(key);
    if (expiresAt <= this.now()) return;
    this.entries.set(key, { value, expiresAt });
    this.newest = key;
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
    if (key === this.newest) this.newest = undefined;
  }

  /** Deletes every entry whose value matches. */
  deleteWhere(matches: (value: V) => boolean): void {
    for (const [key, entry] of [...this.entries]) if (matches(entry.value)) this.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.newest = undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}
