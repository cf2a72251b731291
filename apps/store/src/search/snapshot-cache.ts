/**
 * The trained snapshots this store process searches, in memory, within a byte bound. One snapshot per group:
 * the one its last successful training wrote, known by that training's snapshot id (a recreated group trains
 * again from version 1, so the version alone could name a deleted group's snapshot). Over the bound, the
 * snapshots least recently used go first; a deleted group's snapshot goes at once.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { GroupRef } from '#contracts';
import { Metrics } from '#observability';

/** What the cache needs of a snapshot: its size, and what to do when it is dropped. */
export interface Sized {
  readonly bytes: number;
  release?(): void;
}

export interface SnapshotRef extends GroupRef {
  /** `training.snapshot_id` of the training that wrote the snapshot. */
  snapshotId: string;
}

export type EvictionReason = 'size' | 'deleted' | 'replaced' | 'stale';

export const SNAPSHOT_CACHE_BYTES = Symbol('SNAPSHOT_CACHE_BYTES');

interface Entry<T> {
  ref: GroupRef;
  snapshotId: string;
  snapshot: T;
  bytes: number;
  /** When its load was asked for (a counter): a load asked for earlier never replaces it. */
  asked: number;
}

@Injectable()
export class SnapshotCache<T extends Sized = Sized> {
  /** By group; a Map keeps insertion order, so re-inserting on each use makes the first entry the least recent. */
  private readonly entries = new Map<string, Entry<T>>();
  private readonly loading = new Map<string, Promise<T>>();
  private cachedBytes = 0;
  private asks = 0;

  constructor(@Inject(SNAPSHOT_CACHE_BYTES) private readonly maxBytes: number) {}

  /** The snapshot, from memory or from `load`; loads of one snapshot that overlap share one `load`. */
  async get(ref: SnapshotRef, load: () => Promise<T>): Promise<T> {
    const group = groupKey(ref);
    const cached = this.entries.get(group);
    if (cached?.snapshotId === ref.snapshotId) {
      this.entries.delete(group);
      this.entries.set(group, cached);
      return cached.snapshot;
    }
    const loadKey = `${group}\0${ref.snapshotId}`;
    let loading = this.loading.get(loadKey);
    if (!loading) {
      const asked = ++this.asks;
      loading = load()
        .then((snapshot) => {
          this.keep(ref, snapshot, asked);
          return snapshot;
        })
        .finally(() => this.loading.delete(loadKey));
      this.loading.set(loadKey, loading);
    }
    return loading;
  }

  /** Drops a group's snapshot (the group was deleted). */
  evictGroup(ref: GroupRef, reason: EvictionReason = 'deleted'): void {
    const group = groupKey(ref);
    const entry = this.entries.get(group);
    if (entry) this.drop(group, entry, reason);
  }

  /** The snapshots held, as (group, snapshot id), least recently used first. */
  held(): SnapshotRef[] {
    return [...this.entries.values()].map((entry) => ({ ...entry.ref, snapshotId: entry.snapshotId }));
  }

  get bytes(): number {
    return this.cachedBytes;
  }

  private keep(ref: SnapshotRef, snapshot: T, asked: number): void {
    const { snapshotId } = ref;
    const group = groupKey(ref);
    const current = this.entries.get(group);
    if (current) {
      // A slow load asked for before the kept one (by an identify that read the training row earlier) serves
      // its own request only.
      if (current.asked > asked) return;
      this.drop(group, current, 'replaced');
    }
    const entry = {
      ref: { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId },
      snapshotId,
      snapshot,
      bytes: snapshot.bytes,
      asked,
    };
    // The newest snapshot is kept even alone above the bound: identify needs it, and reloading on each call
    // would cost more than the memory.
    for (const [oldest, old] of this.entries) {
      if (this.cachedBytes + entry.bytes <= this.maxBytes) break;
      this.drop(oldest, old, 'size');
    }
    this.entries.set(group, entry);
    this.cachedBytes += entry.bytes;
    this.report();
  }

  private drop(group: string, entry: Entry<T>, reason: EvictionReason): void {
    this.entries.delete(group);
    this.cachedBytes -= entry.bytes;
    entry.snapshot.release?.();
    Metrics.snapshotCacheEvictions.inc({ reason });
    this.report();
  }

  private report(): void {
    Metrics.snapshotCacheBytes.set(this.cachedBytes);
    Metrics.snapshotCacheSnapshots.set(this.entries.size);
  }
}

function groupKey(ref: GroupRef): string {
  return `${ref.tenantId}\0${ref.kind}\0${ref.groupId}`;
}
