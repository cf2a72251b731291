/** The pool and its worker threads are compiled separately; this is the one definition of what they exchange. */
import type { ExtractReply, ExtractRequest, WireError } from '#contracts';
import type { BackendPreference } from '../backend';
import type { ExtractionLimits } from '../pipeline/extract-faces';

export interface WorkerSettings extends ExtractionLimits {
  backend: BackendPreference;
}

/** First message of a worker: its models are loaded and it takes jobs. */
export interface WorkerReady {
  type: 'ready';
  backend: string;
  models: string[];
}

/** The image travels as a transferred byte array (structured cloning turns a Buffer into a Uint8Array). */
export interface ExtractionJob {
  id: number;
  request: Omit<ExtractRequest, 'image'> & { image: Uint8Array };
}

export type ExtractionOutcome =
  { type: 'done'; id: number; reply: ExtractReply } | { type: 'failed'; id: number; error: WireError };
