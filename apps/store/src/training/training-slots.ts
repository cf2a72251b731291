/**
 * At most `limit` trainings build at once in one store process; the others wait their turn in order. A training
 * holds a database connection for its cursor and takes another for each part it saves, so unbounded trainings
 * would leave no connection for the reads and writes the store also serves.
 */
export class TrainingSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Resolves when a slot is free, with the function that gives it back. */
  async acquire(): Promise<() => void> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `active` stays the same.
      if (next) next();
      else this.active--;
    };
  }

  /** Trainings waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }
}
