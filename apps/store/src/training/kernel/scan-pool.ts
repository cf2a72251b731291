/**
 * Identify scans the whole snapshot per query; one thread reads memory slower than the machine can. The pool
 * has one thread per core scan the same shared memory. A scan is cut into many ranges of persons that the threads
 * claim as they go, so a thread the system preempts delays the scan by one range, not by its share of it.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScanJob, ScanLayout } from './similarity-kernel';

const workerFile = path.join(__dirname, 'scan-worker.js');

/** Ranges of persons per thread in one scan: small enough for one thread to pick up another's share. */
const rangesPerThread = 16;

interface Thread {
  worker: Worker;
  /** The memories this thread was sent and still holds. */
  memories: Set<number>;
}

interface PendingScan {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class ScanPool {
  private static instance?: ScanPool;
  private threads: Thread[] = [];
  private readonly pending = new Map<number, PendingScan>();
  private nextJobId = 1;
  private readonly memoryIds = new WeakMap<WebAssembly.Memory, number>();
  private nextMemoryId = 1;

  private constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  /** The process-wide pool, started on first use: one thread per available core. */
  static shared(): ScanPool {
    return (ScanPool.instance ??= new ScanPool(availableParallelism()));
  }

  /** Scans `count` queries over all persons, across the threads; resolves when every range is done. */
  scan(memory: WebAssembly.Memory, layout: ScanLayout, count: number): Promise<void> {
    const id = this.nextJobId++;
    const memoryId = this.idOf(memory);
    const job: Omit<ScanJob, 'memory'> = {
      id,
      memoryId,
      layout,
      count,
      ranges: Math.min(layout.persons, this.threads.length * rangesPerThread),
      claims: new Int32Array(new SharedArrayBuffer(8)),
    };
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      for (const thread of this.threads) {
        thread.worker.ref(); // a scan in progress holds the process like any other pending work
        // A memory travels to a thread once: passing one costs far more than the rest of a job.
        const first = !thread.memories.has(memoryId);
        thread.memories.add(memoryId);
        thread.worker.postMessage({ ...job, memory: first ? memory : undefined } satisfies ScanJob);
      }
    });
  }

  /** Has the threads let go of `memory`, so that the memory of a dropped snapshot is freed. */
  release(memory: WebAssembly.Memory): void {
    const memoryId = this.memoryIds.get(memory);
    if (memoryId === undefined) return;
    for (const thread of this.threads) {
      if (thread.memories.delete(memoryId)) thread.worker.postMessage({ release: memoryId });
    }
  }

  private idOf(memory: WebAssembly.Memory): number {
    let memoryId = this.memoryIds.get(memory);
    if (memoryId === undefined) this.memoryIds.set(memory, (memoryId = this.nextMemoryId++));
    return memoryId;
  }

  private spawn(): Thread {
    const worker = new Worker(workerFile);
    const thread: Thread = { worker, memories: new Set() };
    // The thread that finishes a scan's last range answers for all of them.
    worker.on('message', (id: number) => {
      this.pending.get(id)?.resolve();
      this.pending.delete(id);
      if (this.pending.size === 0) for (const t of this.threads) t.worker.unref();
    });
    const replace = (error: Error) => {
      if (!this.threads.includes(thread)) return;
      this.threads = this.threads.map((t) => (t === thread ? this.spawn() : t));
      // Any scan in progress may have had a range on the lost thread: none of them can finish.
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on('error', replace);
    worker.on('exit', (code) => replace(new Error(`Scan thread exited with code ${code}`)));
    // Idle scan threads never keep the process alive (unref after the listeners, which would hold it again).
    worker.unref();
    return thread;
  }
}
