/** Both dialects take an image the same way: raw bytes, or JSON {"url"}; the Content-Type decides which. */
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { VisageError } from '#contracts';
import { checkImageBytes } from '#imaging';
import { UrlImageBody } from '../faces/faces.dto';
import type { ImageFetcher } from '../images/image-fetcher';
import { mediaTypeOf } from '../request-body/body-reader';

/** An image as the caller sent it: raw bytes, or a URL to download. */
export type ImageInput = { bytes: Buffer } | { url: string };

export interface RequestWithBody {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

export function imageInputOf(request: RequestWithBody): ImageInput {
  const mediaType = mediaTypeOf(request);
  if (mediaType === 'application/octet-stream') {
    return { bytes: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0) };
  }
  if (mediaType === 'application/json') {
    const body = plainToInstance(UrlImageBody, request.body ?? {});
    if (validateSync(body).length > 0 || typeof request.body !== 'object') {
      throw new VisageError('INVALID_URL', 'Body must be {"url": "<http(s) image URL>"}.');
    }
    return { url: body.url };
  }
  throw new VisageError('UNSUPPORTED_MEDIA_TYPE');
}

/** The image's bytes (downloaded when given as a URL), checked for size and format. */
export async function imageBytesOf(image: ImageInput, fetcher: ImageFetcher): Promise<Buffer> {
  const bytes = 'bytes' in image ? image.bytes : await fetcher.fetch(image.url);
  checkImageBytes(bytes);
  return bytes;
}
