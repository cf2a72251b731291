/**
 * A scan thread: claims ranges of a scan's persons until none is left, in the snapshot's shared memory; the
 * thread that finishes the last range tells the pool.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { kernelOver, scanClaimedRanges, type ScanJob, type SimilarityKernel } from './similarity-kernel';

// A snapshot's memory is shared with every scan thread that scanned it, and is freed only once each thread has
// collected its handles to it; this thread allocates too little for its collector to run on its own.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

// The memories this thread was sent (each once), with the kernel instantiated over each.
const held = new Map<number, SimilarityKernel>();

parentPort!.on('message', (message: ScanJob | { release: number }) => {
  if ('release' in message) {
    held.delete(message.release);
    collectGarbage();
    return;
  }
  const job = message;
  if (job.memory) held.set(job.memoryId, kernelOver(job.memory));
  const kernel = held.get(job.memoryId);
  if (!kernel) throw new Error(`Scan of memory ${job.memoryId}, which this thread was never sent`);
  if (scanClaimedRanges(kernel, job)) parentPort!.postMessage(job.id);
});
