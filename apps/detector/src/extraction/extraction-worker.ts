/**
 * The WASM backend runs one thread per process in Node, so each core gets its own worker thread with its
 * own backend and models; this is that thread's entry point, one job at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VisageError } from '#contracts';
import { selectBackend } from '../backend';
import { loadFaceApiNets } from '../models/face-api-loader';
import { loadBlazeFace } from '../models/blazeface';
import { needsBlazeFace, registeredModelNames } from '../models/model-registry';
import { extractFaces, type ExtractionLimits } from '../pipeline/extract-faces';
import type { ExtractionJob, ExtractionOutcome, WorkerReady, WorkerSettings } from './extraction-protocol';

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) {
    throw new Error('extraction-worker must run as a worker thread');
  }
  const settings = workerData as WorkerSettings;
  const backend = await selectBackend(settings.backend);
  await loadFaceApiNets();
  if (needsBlazeFace()) await loadBlazeFace();
  port.on('message', (job: ExtractionJob) => {
    void run(job, settings).then((outcome) => {
      const transfer =
        outcome.type === 'done' ? outcome.reply.faces.map((face) => face.embedding.buffer as ArrayBuffer) : [];
      port.postMessage(outcome, transfer);
    });
  });
  const ready: WorkerReady = { type: 'ready', backend, models: registeredModelNames() };
  port.postMessage(ready);
}

async function run({ id, request }: ExtractionJob, limits: ExtractionLimits): Promise<ExtractionOutcome> {
  const image = Buffer.from(request.image.buffer, request.image.byteOffset, request.image.byteLength);
  try {
    return { type: 'done', id, reply: await extractFaces({ ...request, image }, limits) };
  } catch (error) {
    if (error instanceof VisageError) {
      return { type: 'failed', id, error: error.toWire() };
    }
    // Never the image itself: only what went wrong.
    console.error(JSON.stringify({ level: 'error', msg: 'face extraction failed', error: String(error) }));
    return { type: 'failed', id, error: new VisageError('INTERNAL_ERROR').toWire() };
  }
}

// A start that fails rejects unhandled: the thread ends with an 'error' event, which the pool reports.
void serve();
