import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'visage:public';

/** Marks a route that needs no API key (health probes only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
