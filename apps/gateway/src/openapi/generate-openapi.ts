/** `npm run openapi`: writes docs/openapi.json from the code; test/openapi-drift.spec.ts fails until it is rerun. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { apiControllers } from '../api-controllers';
import { buildOpenApiDocument } from './openapi-document';

const openApiPath = path.resolve(__dirname, '..', '..', '..', '..', '..', 'docs', 'openapi.json');

async function main(): Promise<void> {
  const json = JSON.stringify(buildOpenApiDocument(apiControllers));
  const options = await resolveConfig(openApiPath);
  writeFileSync(openApiPath, await format(json, { ...options, filepath: openApiPath }));
  console.log(`Wrote ${path.relative(process.cwd(), openApiPath)}`);
}

void main();
