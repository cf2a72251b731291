/**
 * A group's recognition model never changes after creation, so the gateway remembers it: adding a face can
 * then start extraction at once, in parallel with the person check, instead of after it. A stale entry (group
 * deleted and recreated with another model) is caught by comparing with the person check's answer.
 */
import { Injectable } from '@nestjs/common';
import type { RecognitionModel } from '#contracts';

const maxEntries = 10_000;

@Injectable()
export class GroupModelCache {
  private readonly models = new Map<string, RecognitionModel>();

  get(tenantId: string, groupId: string): RecognitionModel | undefined {
    return this.models.get(key(tenantId, groupId));
  }

  remember(tenantId: string, groupId: string, model: RecognitionModel): void {
    const k = key(tenantId, groupId);
    this.models.delete(k);
    this.models.set(k, model);
    if (this.models.size > maxEntries) this.models.delete(this.models.keys().next().value!);
  }

  forget(tenantId: string, groupId: string): void {
    this.models.delete(key(tenantId, groupId));
  }
}

function key(tenantId: string, groupId: string): string {
  return `${tenantId}\0${groupId}`;
}
