/**
 * Runs at most `concurrency` tasks at once and shares the places fairly between lines (one per tenant, say), by
 * start-time fair queueing with one unit per task: a task's turn is the later of the current turn and the turn
 * after its line's previous task, and the lowest turn starts next, ties in arrival order. So a line that was idle
 * goes next, however long the others are; busy lines take turns; and nobody is ever passed over for good.
 */
import { VisageError } from '#contracts';

export interface FairShareOptions {
  /** Tasks running at once, all lines together. */
  concurrency: number;
  /** Tasks one line may have waiting; past it the next is refused at once. 0: no bound. */
  maxWaitingPerLine: number;
  /** The refusal of a task past the bound, given how many wait in its line and when to retry. */
  refusal: (waiting: number, retryAfterSeconds: number) => Error;
}

/** A task gets the time left of its wait limit, so waiting and running together keep one deadline. */
export type Task<T> = (remainingMs: number) => Promise<T>;

interface Waiting {
  turn: number;
  arrival: number;
  start(): void;
  timer: NodeJS.Timeout;
}

interface Line {
  waiting: Waiting[];
  /** The turn after this line's latest task. */
  nextTurn: number;
}

/** Weight of the newest task in the running average of task durations. */
const averageWeight = 0.2;
const maxRetryAfterSeconds = 60;

export class FairShareQueue {
  private readonly lines = new Map<string, Line>();
  /** The turn of the task started last. */
  private currentTurn = 0;
  private arrivals = 0;
  private running = 0;
  private averageTaskMs = 1000;

  constructor(private readonly options: FairShareOptions) {}

  /** Runs `task` in `lineId`'s turn; TIMEOUT when it has not started within `waitLimitMs`. */
  run<T>(lineId: string, task: Task<T>, waitLimitMs: number): Promise<T> {
    const line = this.lines.get(lineId) ?? { waiting: [], nextTurn: 0 };
    const { maxWaitingPerLine } = this.options;
    if (maxWaitingPerLine > 0 && line.waiting.length >= maxWaitingPerLine) {
      return Promise.reject(this.options.refusal(line.waiting.length, this.retryAfterSeconds()));
    }
    this.lines.set(lineId, line);
    return new Promise<T>((resolve, reject) => {
      const deadline = Date.now() + waitLimitMs;
      const turn = Math.max(this.currentTurn, line.nextTurn);
      line.nextTurn = turn + 1;
      const waiting: Waiting = {
        turn,
        arrival: this.arrivals++,
        start: () => {
          clearTimeout(waiting.timer);
          this.running++;
          const started = performance.now();
          const remainingMs = Math.max(1, deadline - Date.now());
          Promise.resolve()
            .then(() => task(remainingMs))
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              this.averageTaskMs += averageWeight * (performance.now() - started - this.averageTaskMs);
              this.next();
            });
        },
        timer: setTimeout(() => {
          line.waiting.splice(line.waiting.indexOf(waiting), 1);
          reject(new VisageError('TIMEOUT', `No place to run freed up within ${waitLimitMs} ms.`));
        }, waitLimitMs),
      };
      line.waiting.push(waiting);
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.options.concurrency) {
      let chosen: Line | undefined;
      for (const [lineId, line] of this.lines) {
        const head = line.waiting[0];
        // An idle line whose turn has come around holds nothing worth keeping.
        if (!head && line.nextTurn <= this.currentTurn) this.lines.delete(lineId);
        const best = chosen?.waiting[0];
        if (head && (!best || head.turn < best.turn || (head.turn === best.turn && head.arrival < best.arrival))) {
          chosen = line;
        }
      }
      if (!chosen) return;
      const waiting = chosen.waiting.shift()!;
      this.currentTurn = waiting.turn;
      waiting.start();
    }
  }

  /** About when the refused line has a free place again: each place frees after one turn of every busy line. */
  private retryAfterSeconds(): number {
    let busyLines = 0;
    for (const line of this.lines.values()) if (line.waiting.length > 0) busyLines++;
    const turnMs = (busyLines * this.averageTaskMs) / this.options.concurrency;
    return Math.min(maxRetryAfterSeconds, Math.max(1, Math.ceil(turnMs / 1000)));
  }
}
