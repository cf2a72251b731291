/** A scan thread: runs stage-1 scans over the ranges of persons it is sent, in the snapshot's shared memory. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { kernelOver, scanRange, type ScanJob, type SimilarityKernel } from './similarity-kernel';

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
  scanRange(last.kernel, job.layout, job.count, job.from, job.to);
  parentPort!.postMessage(job.id);
});
