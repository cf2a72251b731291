/**
 * The API description the gateway serves: docs/openapi.json as `npm run openapi` generated it from the code and
 * as it is committed (test/openapi-drift.spec.ts fails while the two differ). The generator reads Nest's and
 * class-validator's metadata, so it runs only then, never at the gateway's start, where an upgrade of either
 * could otherwise stop the boot.
 */
import committed from '../../../../docs/openapi.json';
import type { OpenApiDocument } from './openapi-document';

export const publishedDocument = committed as unknown as OpenApiDocument;
