/** A scan thread: runs stage-1 scans over the ranges of persons it is sent, in the snapshot's shared memory. */
import { parentPort, workerData } from 'node:worker_threads';
import { kernelOver, scanRange, type ScanJob } from './similarity-kernel';

const kernelModule = (workerData as { module: WebAssembly.Module }).module;
// Instantiating is cheap next to a scan; keeping the last one spares it for consecutive queries of a group.
let last: { memory: WebAssembly.Memory; kernel: ReturnType<typeof kernelOver> } | undefined;

parentPort!.on('message', (job: ScanJob) => {
  if (last?.memory.buffer !== job.memory.buffer)
    last = { memory: job.memory, kernel: kernelOver(job.memory, kernelModule) };
  scanRange(last.kernel, job.layout, job.from, job.to);
  parentPort!.postMessage(job.id);
});
