/**
 * A group's recognition model never changes after creation, so the gateway remembers it: adding a face can
 * then start extraction at once, in parallel with the person check, instead of after it. A stale entry (group
 * deleted and recreated with another model) is caught by comparing with the person check's answer.
 */
import { Injectable } from '@nestjs/common';
import type { RecognitionModel } from '#contracts';
import type { GroupPath } from './collection-routes';

const maxEntries = 10_000;

@Injectable()
export class GroupModelCache {
  private readonly models = new Map<string, RecognitionModel>();

  get(tenantId: string, group: GroupPath): RecognitionModel | undefined {
    return this.models.get(key(tenantId, group));
  }

  remember(tenantId: string, group: GroupPath, model: RecognitionModel): void {
    const k = key(tenantId, group);
    this.models.delete(k);
    this.models.set(k, model);
    if (this.models.size > maxEntries) this.models.delete(this.models.keys().next().value!);
  }

  forget(tenantId: string, group: GroupPath): void {
    this.models.delete(key(tenantId, group));
  }
}

function key(tenantId: string, group: GroupPath): string {
  return `${tenantId}\0${group.kind}\0${group.groupId}`;
}
