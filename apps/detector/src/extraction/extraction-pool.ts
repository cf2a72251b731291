/**
 * Face extraction is CPU-bound and the WASM backend uses one core per process in Node; a pool of worker
 * threads turns the machine's cores into parallel extractions, and keeps one bad image or crashed thread
 * from taking the detector down.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type DetectorStatus, type ExtractReply, type ExtractRequest, VisageError } from '#contracts';
import type { ExtractionJob, ExtractionOutcome, WorkerReady, WorkerSettings } from './extraction-protocol';

export interface ExtractionPoolOptions extends WorkerSettings {
  /** Worker threads, each with its own backend and models. Default: one per available core. */
  workers?: number;
}

export interface ExtractOptions {
  /** Epoch ms after which nobody waits for the reply (the caller's RPC deadline). */
  deadline?: number;
}

interface PendingJob {
  job: ExtractionJob;
  transfer: ArrayBuffer[];
  resolve: (reply: ExtractReply) => void;
  reject: (error: VisageError) => void;
  deadlineTimer?: NodeJS.Timeout;
}

interface WorkerSlot {
  worker: Worker;
  busyWith?: PendingJob;
}

const workerFile = path.join(__dirname, 'extraction-worker.js');
const respawnDelayMs = 1000;
const longestTimerDelayMs = 2 ** 31 - 1;

export class ExtractionPool {
  private readonly slots = new Set<WorkerSlot>();
  private readonly queue: PendingJob[] = [];
  private backend = 'none';
  private models: string[] = [];
  private nextJobId = 1;
  private closing = false;

  private constructor(private readonly settings: WorkerSettings) {}

  /** Resolves once every worker has loaded its models; rejects (and stops the others) if one cannot. */
  static async start(options: ExtractionPoolOptions): Promise<ExtractionPool> {
    const { workers, ...settings } = options;
    const pool = new ExtractionPool(settings);
    const count = workers ?? availableParallelism();
    const started = await Promise.allSettled(Array.from({ length: count }, () => pool.addWorker()));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await pool.close();
      throw failure.reason;
    }
    return pool;
  }

  /**
   * Queues the request until a worker is free. Takes ownership of `request.image`: when the Buffer owns its
   * whole memory, that memory moves to the worker thread and the caller's Buffer becomes empty.
   * Past `deadline` the job fails with TIMEOUT: a queued job never runs, a running one loses its worker thread
   * (terminated and replaced), so abandoned work does not hold a core.
   */
  extract(request: ExtractRequest, options: ExtractOptions = {}): Promise<ExtractReply> {
    if (this.closing) {
      return Promise.reject(new VisageError('SERVICE_UNAVAILABLE', 'The face detector is shutting down.'));
    }
    const { deadline } = options;
    if (deadline !== undefined && deadline <= Date.now()) {
      return Promise.reject(pastDeadline());
    }
    const image = ownedBytes(request.image);
    const job: ExtractionJob = { id: this.nextJobId++, request: { ...request, image } };
    return new Promise((resolve, reject) => {
      const pending: PendingJob = { job, transfer: [image.buffer as ArrayBuffer], resolve, reject };
      // Past the longest timer delay Node supports, a deadline would fire at once; none is that far anyway.
      if (deadline !== undefined && deadline - Date.now() <= longestTimerDelayMs) {
        pending.deadlineTimer = setTimeout(() => this.expire(pending), deadline - Date.now());
        pending.deadlineTimer.unref();
      }
      this.queue.push(pending);
      this.dispatch();
    });
  }

  status(): DetectorStatus {
    return { backend: this.backend, workers: this.slots.size, models: this.models };
  }

  /** Stops every worker; queued and running extractions fail with SERVICE_UNAVAILABLE (retryable). */
  async close(): Promise<void> {
    this.closing = true;
    const shutdown = new VisageError('SERVICE_UNAVAILABLE', 'The face detector is shutting down.');
    for (const pending of this.queue.splice(0)) {
      pending.reject(shutdown);
    }
    const slots = [...this.slots];
    this.slots.clear();
    for (const slot of slots) {
      slot.busyWith?.reject(shutdown);
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private addWorker(): Promise<void> {
    const worker = new Worker(workerFile, { workerData: this.settings });
    return new Promise((resolve, reject) => {
      const failStart = (reason: unknown): void => {
        void worker.terminate();
        reject(
          reason instanceof Error ? reason : new Error(`Extraction worker exited during start (${String(reason)})`),
        );
      };
      worker.once('error', failStart);
      worker.once('exit', failStart);
      worker.once('message', (ready: WorkerReady) => {
        worker.off('error', failStart);
        worker.off('exit', failStart);
        if (this.closing) {
          void worker.terminate();
          resolve();
          return;
        }
        this.backend = ready.backend;
        this.models = ready.models;
        this.adopt(worker);
        resolve();
      });
    });
  }

  private adopt(worker: Worker): void {
    const slot: WorkerSlot = { worker };
    this.slots.add(slot);
    worker.on('message', (outcome: ExtractionOutcome) => this.finish(slot, outcome));
    worker.on('error', (error) =>
      console.error(JSON.stringify({ level: 'error', msg: 'extraction worker crashed', error: String(error) })),
    );
    worker.on('exit', () => this.replace(slot));
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      while (!slot.busyWith && this.queue.length > 0) {
        const pending = this.queue.shift() as PendingJob;
        try {
          slot.worker.postMessage(pending.job, pending.transfer);
          slot.busyWith = pending;
        } catch {
          pending.reject(new VisageError('INTERNAL_ERROR', 'The extraction request could not be sent to a worker.'));
        }
      }
    }
  }

  private finish(slot: WorkerSlot, outcome: ExtractionOutcome): void {
    const pending = slot.busyWith;
    slot.busyWith = undefined;
    if (pending) {
      clearTimeout(pending.deadlineTimer);
      if (outcome.type === 'done') {
        pending.resolve(outcome.reply);
      } else {
        pending.reject(VisageError.fromWire(outcome.error));
      }
    }
    this.dispatch();
  }

  /** A job past its deadline: dropped from the queue, or its worker thread (which cannot be interrupted) replaced. */
  private expire(pending: PendingJob): void {
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      pending.reject(pastDeadline());
      return;
    }
    const slot = [...this.slots].find((candidate) => candidate.busyWith === pending);
    if (!slot || this.closing) {
      return;
    }
    // Out of the pool before it exits, so no job is dispatched to it and its exit does not respawn twice.
    this.slots.delete(slot);
    slot.busyWith = undefined;
    pending.reject(pastDeadline());
    console.error(
      JSON.stringify({ level: 'warn', msg: 'extraction passed its deadline; replacing its worker thread' }),
    );
    void slot.worker.terminate();
    this.respawn();
  }

  /** A worker that exits on its own took its job down with it; the job fails, a new worker takes its place. */
  private replace(slot: WorkerSlot): void {
    if (this.closing || !this.slots.delete(slot)) {
      return;
    }
    slot.busyWith?.reject(new VisageError('INTERNAL_ERROR', 'The face extraction worker crashed.'));
    this.respawn();
  }

  private respawn(): void {
    this.addWorker().catch(() => {
      if (!this.closing) {
        setTimeout(() => this.respawn(), respawnDelayMs).unref();
      }
    });
  }
}

function pastDeadline(): VisageError {
  return new VisageError('TIMEOUT', 'The face extraction did not finish before the request deadline.');
}

/** The image bytes as a Uint8Array that alone owns its ArrayBuffer, so transferring it moves nothing else. */
function ownedBytes(image: Buffer): Uint8Array {
  const ownsWholeBuffer =
    image.buffer instanceof ArrayBuffer && image.byteOffset === 0 && image.byteLength === image.buffer.byteLength;
  return ownsWholeBuffer ? new Uint8Array(image.buffer) : new Uint8Array(image);
}
