/**
 * A Visage that other hosts can reach never serves without a key. When API_KEYS is not set there (a container's
 * `docker run -p 8080:8080 visage`, say), one key is made at the first start and kept in the data folder; the log
 * names the file, never the key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LoggerService } from '@nestjs/common';

export function generatedApiKey(dataDir: string, host: string, logger: LoggerService): string {
  const file = path.join(dataDir, 'api-key');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  logger.warn(
    `API_KEYS is not set and HOST=${host} is reachable from other hosts: callers need the key kept in ${file} ` +
      `(Ocp-Apim-Subscription-Key or Authorization: Bearer). Set API_KEYS to choose your own.`,
  );
  return readFileSync(file, 'utf8').trim();
}
