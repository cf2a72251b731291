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

// Instantiating is cheap next to a scan; keeping the last one spares it for consecutive queries of a group.
let last: { memory: WebAssembly.Memory; kernel: SimilarityKernel } | undefined;

parentPort!.on('message', (message: ScanJob | 'release') => {
  if (message === 'release') {
    last = undefined;
    collectGarbage();
    return;
  }
  const job = message;
  if (last?.memory.buffer !== job.memory.buffer) last = { memory: job.memory, kernel: kernelOver(job.memory) };
  if (scanClaimedRanges(last.kernel, job)) parentPort!.postMessage(job.id);
});
