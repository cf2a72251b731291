/** A scan thread: runs stage-1 scans over the ranges of persons it is sent, in the snapshot's shared memory. */
import { parentPort } from 'node:worker_threads';
import { kernelOver, scanRange, type ScanJob, type SimilarityKernel } from './similarity-kernel';

// Instantiating is cheap next to a scan; keeping the last one spares it for consecutive queries of a group.
let last: { memory: WebAssembly.Memory; kernel: SimilarityKernel } | undefined;

parentPort!.on('message', (job: ScanJob) => {
  if (last?.memory.buffer !== job.memory.buffer) last = { memory: job.memory, kernel: kernelOver(job.memory) };
  scanRange(last.kernel, job.layout, job.count, job.from, job.to);
  parentPort!.postMessage(job.id);
});
