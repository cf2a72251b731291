import { Injectable } from '@nestjs/common';
import type { GroupRef } from '#contracts';

/** Tells what holds state about a group in this process (identify's snapshot cache) that the group is gone. */
@Injectable()
export class GroupDeletions {
  private readonly listeners: ((ref: GroupRef) => void)[] = [];

  onDeleted(listener: (ref: GroupRef) => void): void {
    this.listeners.push(listener);
  }

  deleted(ref: GroupRef): void {
    for (const listener of this.listeners) listener(ref);
  }
}
