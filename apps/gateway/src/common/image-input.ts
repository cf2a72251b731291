/** Both dialects take an image the same way: raw bytes, or JSON {"url"}; the Content-Type decides which. */
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { VisageError } from '#contracts';
import { UrlImageBody } from '../faces/faces.dto';
import type { ImageInput } from '../faces/faces.use-cases';

export interface RequestWithBody {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

export function imageInputOf(request: RequestWithBody): ImageInput {
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('application/octet-stream')) {
    return { bytes: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0) };
  }
  if (contentType.startsWith('application/json')) {
    const body = plainToInstance(UrlImageBody, request.body ?? {});
    if (validateSync(body).length > 0 || typeof request.body !== 'object') {
      throw new VisageError('INVALID_URL', 'Body must be {"url": "<http(s) image URL>"}.');
    }
    return { url: body.url };
  }
  throw new VisageError('UNSUPPORTED_MEDIA_TYPE');
}
