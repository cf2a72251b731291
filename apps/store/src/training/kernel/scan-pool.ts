/**
 * Identify scans the whole snapshot per query; one thread reads memory slower than the machine can. The pool
 * splits the persons of a snapshot across one thread per core, all reading the same shared memory.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScanJob, ScanLayout } from './similarity-kernel';

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: () => void; reject: (error: Error) => void }>;
}

const workerFile = path.join(__dirname, 'scan-worker.js');

export class ScanPool {
  private static instance?: ScanPool;
  private threads: Thread[] = [];
  private nextJobId = 1;

  private constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  /** The process-wide pool, started on first use: one thread per available core. */
  static shared(): ScanPool {
    return (ScanPool.instance ??= new ScanPool(availableParallelism()));
  }

  /** Scans `count` queries over all persons, split evenly across the threads; resolves when all are done. */
  async scan(memory: WebAssembly.Memory, layout: ScanLayout, count: number): Promise<void> {
    const parts = this.threads.length;
    const { persons } = layout;
    await Promise.all(
      this.threads.map((thread, i) =>
        this.run(thread, {
          memory,
          layout,
          count,
          from: Math.floor((persons * i) / parts),
          to: Math.floor((persons * (i + 1)) / parts),
        }),
      ),
    );
  }

  /** Has the threads let go of the memories they scanned, so that the memory of a dropped snapshot is freed. */
  release(): void {
    for (const thread of this.threads) thread.worker.postMessage('release');
  }

  private run(thread: Thread, job: Omit<ScanJob, 'id'>): Promise<void> {
    const id = this.nextJobId++;
    return new Promise<void>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.ref(); // a scan in progress holds the process like any other pending work
      thread.worker.postMessage({ id, ...job } satisfies ScanJob);
    });
  }

  private spawn(): Thread {
    const worker = new Worker(workerFile);
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (id: number) => {
      thread.pending.get(id)?.resolve();
      thread.pending.delete(id);
      if (thread.pending.size === 0) worker.unref();
    });
    const replace = (error: Error) => {
      for (const { reject } of thread.pending.values()) reject(error);
      thread.pending.clear();
      this.threads = this.threads.map((t) => (t === thread ? this.spawn() : t));
    };
    worker.on('error', replace);
    worker.on('exit', (code) => {
      if (this.threads.includes(thread)) replace(new Error(`Scan thread exited with code ${code}`));
    });
    // Idle scan threads never keep the process alive (unref after the listeners, which would hold it again).
    worker.unref();
    return thread;
  }
}
