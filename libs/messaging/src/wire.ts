/** What travels around a message body: header names and the reply frame. */
import type { WireError } from '#contracts';

export const Headers = {
  pattern: 'x-pattern',
  deadline: 'x-deadline',
  requestId: 'x-request-id',
} as const;

/** Which queue served a request and when (epoch ms), for tracing and for ordering checks. */
export interface HandledBy {
  queue: string;
  startedAt: number;
  finishedAt: number;
}

export type ReplyFrame = ({ ok: true; data: unknown } | { ok: false; error: WireError }) & { handled?: HandledBy };
