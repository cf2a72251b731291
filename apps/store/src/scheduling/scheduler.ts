/**
 * The store's periodic jobs run here, each under its name: a round that fails is logged and counted in
 * `visage_periodic_job_runs_total{outcome="failed"}`, and the job runs again on its next round. A round still
 * running when the next is due is not doubled (a slow database would otherwise pile rounds up). One scheduler per
 * store app: its jobs read and write the store's database, so they stop with the app, before the database closes.
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Metrics } from '#observability';

export interface PeriodicJob {
  /** The metric's label and the logs' subject: one name per kind of job, never per group or tenant. */
  name: string;
  everyMs: number;
  /** What a log line adds to the name to say which instance failed (a group's lease, say). */
  about?: string;
  /** Runs the first round at once rather than after `everyMs`. */
  runAtStart?: boolean;
  run: () => Promise<unknown>;
}

export interface ScheduledJob {
  /** Runs one round now (unless one is running) and resolves when it ended; never throws. */
  runNow(): Promise<void>;
  /** No more rounds; a round already running ends on its own. */
  stop(): void;
}

@Injectable()
export class Scheduler implements OnApplicationShutdown {
  private readonly logger = new Logger('scheduler');
  private readonly jobs = new Set<ScheduledRound>();

  every(job: PeriodicJob): ScheduledJob {
    const round = new ScheduledRound(job, this.logger, () => this.jobs.delete(round));
    this.jobs.add(round);
    if (job.runAtStart) void round.runNow();
    return round;
  }

  /** Stops every job and waits for the rounds still running, so none outlives the app's database. */
  async onApplicationShutdown(): Promise<void> {
    const running = [...this.jobs].map((round) => round.stopAndSettle());
    await Promise.all(running);
  }
}

class ScheduledRound implements ScheduledJob {
  private readonly timer: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly job: PeriodicJob,
    private readonly logger: Logger,
    private readonly forget: () => void,
  ) {
    this.timer = setInterval(() => void this.runNow(), job.everyMs);
    this.timer.unref();
  }

  runNow(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  stop(): void {
    clearInterval(this.timer);
    this.forget();
  }

  async stopAndSettle(): Promise<void> {
    this.stop();
    await this.running;
  }

  private async round(): Promise<void> {
    const { name, about } = this.job;
    try {
      await this.job.run();
      Metrics.periodicJobRuns.inc({ job: name, outcome: 'ok' });
    } catch (error) {
      Metrics.periodicJobRuns.inc({ job: name, outcome: 'failed' });
      const subject = about ? `${name} (${about})` : name;
      this.logger.error(`Periodic job ${subject} failed: ${(error as Error).message}`);
    }
  }
}
