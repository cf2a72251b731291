import { SetMetadata } from '@nestjs/common';

export const TAKES_IMAGE = 'visage:takes-image';

/**
 * Marks a route whose body is an image: raw bytes up to the image size limit, or JSON `{"url"}`. Only these
 * routes read image bytes, and only after the caller's key and limits were checked.
 */
export const TakesImage = () => SetMetadata(TAKES_IMAGE, true);
