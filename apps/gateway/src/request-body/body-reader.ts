/**
 * Reads a request body into memory, up to a limit, only when asked: the gateway reads bodies after the caller's
 * key and limits were checked, never before. Nothing here decides whether a body is wanted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { VisageError } from '#contracts';

export interface BodyLimit {
  maxBytes: number;
  /** The refusal of a body over maxBytes. */
  tooLarge: () => VisageError;
}

/** The media type of the request, lower case, without parameters; '' when none is given. */
export function mediaTypeOf(request: Pick<IncomingMessage, 'headers'>): string {
  return String(request.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
}

/**
 * The whole body, refused as soon as it is known to be over the limit: from Content-Length before a byte is
 * read, else while streaming. A client that waits for `100 Continue` gets it only here, when the body is wanted.
 */
export async function readBody(request: IncomingMessage, response: ServerResponse, limit: BodyLimit): Promise<Buffer> {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') {
    throw new VisageError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding "${encoding}" is not supported; send the body as is.`,
    );
  }
  if (Number(request.headers['content-length'] ?? 0) > limit.maxBytes) throw limit.tooLarge();
  if (/100-continue/i.test(String(request.headers['expect'] ?? ''))) response.writeContinue();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit.maxBytes) return void chunks.push(chunk);
      // Keep nothing more, but let the rest flow by unread: the client, still sending, then gets to read the
      // refusal (the request deadline bounds how long that may take).
      stop();
      request.resume();
      reject(limit.tooLarge());
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    // The client went away, or the request deadline closed the connection: nobody waits for the answer.
    const onCut = () => {
      stop();
      reject(new VisageError('VALIDATION_ERROR', 'The request body was not received completely.'));
    };
    const stop = () => {
      request.off('data', onData).off('end', onEnd).off('error', onCut).off('close', onCut);
    };
    request.on('data', onData).on('end', onEnd).on('error', onCut).on('close', onCut);
  });
}

/** A JSON body as Express's parser took it: an object or array at the top, empty meaning `{}`. */
export function parseJsonBody(bytes: Buffer, request: Pick<IncomingMessage, 'headers'>): unknown {
  const charset = /;\s*charset=["']?([^;"'\s]+)/i.exec(String(request.headers['content-type'] ?? ''))?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw new VisageError('UNSUPPORTED_MEDIA_TYPE', `JSON must be UTF-8, not ${charset}.`);
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') return {};
  if (!/^[\s]*[{[]/.test(text)) throw new VisageError('INVALID_JSON', 'JSON body must be an object or an array.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new VisageError('INVALID_JSON');
  }
}
