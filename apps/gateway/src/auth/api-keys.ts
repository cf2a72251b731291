/**
 * API keys from configuration. Keys are compared as SHA-256 digests with timingSafeEqual, so neither the
 * length nor the content of a key leaks through response timing; keys never appear in logs.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const defaultTenant = 'default';

/** A configured key as the gateway knows it after parsing: `id` names it (its position) without revealing it. */
export interface ApiKey {
  id: string;
  tenantId: string;
}

interface KeyEntry extends ApiKey {
  digest: Buffer;
}

export class ApiKeys {
  private constructor(private readonly entries: KeyEntry[]) {}

  static parse(value: string | undefined): ApiKeys {
    const entries = (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0)
      .map((item, index) => {
        const separator = item.lastIndexOf(':');
        const key = separator > 0 ? item.slice(0, separator) : item;
        const tenantId = separator > 0 ? item.slice(separator + 1) : defaultTenant;
        if (key.length < 16) throw new Error('API_KEYS: every key must be at least 16 characters long');
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(tenantId)) throw new Error(`API_KEYS: invalid tenant name '${tenantId}'`);
        return { id: `key-${index + 1}`, digest: digest(key), tenantId };
      });
    return new ApiKeys(entries);
  }

  get configured(): boolean {
    return this.entries.length > 0;
  }

  /** The configured key matching a presented one, or undefined. Every entry is compared, whatever matches first. */
  find(presented: string): ApiKey | undefined {
    const candidate = digest(presented);
    let found: ApiKey | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, candidate) && found === undefined)
        found = { id: entry.id, tenantId: entry.tenantId };
    }
    return found;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
