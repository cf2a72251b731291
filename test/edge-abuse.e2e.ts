/**
 * The gateway's edge under abuse, over raw loopback connections: a request without a valid key is answered 401
 * before its body is sent, slow headers and slow bodies are cut at their deadlines, a key holds a bounded number
 * of image requests open, and 200 abusive connections at once leave the gateway's memory nearly where it was.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Stack, waitFor } from './support/stack';

const key = 'edge-key-4f1c9a7e2b6d';
const otherKey = 'edge-other-key-8d3e5b1f';
const headersTimeoutMs = 2_000;
const requestTimeoutMs = 5_000;
const imageRequestsPerKey = 4;
/** Node checks the deadlines once a second; the rest covers a machine busy with other work. */
const deadlineSlackMs = 8_000;
const sixMegabytes = 6 * 1024 * 1024;
/** The stated bound of docs/operations.md, "Limits and abuse". */
const rssGrowthBoundMb = 100;

let stack: Stack;

before(async () => {
  stack = await Stack.start({
    detectorWorkers: 1,
    env: {
      API_KEYS: `${key}:acme,${otherKey}:other`,
      HEADERS_TIMEOUT_MS: String(headersTimeoutMs),
      REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
      IMAGE_REQUESTS_PER_KEY: String(imageRequestsPerKey),
    },
  });
});

after(async () => {
  await stack?.stop();
});

/** One HTTP/1.1 exchange on a socket of our own: what the server answered, and whether it closed the socket. */
class RawRequest {
  readonly socket: Socket;
  private received = Buffer.alloc(0);
  private closed = false;
  readonly whenClosed: Promise<void>;

  constructor(head: string) {
    this.socket = connect(Number(new URL(stack.baseUrl).port), '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    // The server may close while we still write; that is the point of several tests.
    this.socket.on('error', () => undefined);
    this.whenClosed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    void this.whenClosed.then(() => (this.closed = true));
    this.socket.write(head);
  }

  static post(path: string, headers: Record<string, string | number>): RawRequest {
    const lines = Object.entries({ host: '127.0.0.1', ...headers }).map(([name, value]) => `${name}: ${value}`);
    return new RawRequest(`POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get text(): string {
    return this.received.toString('latin1');
  }

  /** The final (non-1xx) answer once it has fully arrived. */
  answer(): { status: number; headers: Map<string, string>; body: string } | undefined {
    const text = this.text.replace(/^HTTP\/1\.1 1\d\d [^\r]*\r\n(?:[^\r]+\r\n)*\r\n/, '');
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine, ...headerLines] = text.slice(0, end).split('\r\n');
    const headers = new Map(
      headerLines.map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 1).trim(),
      ]),
    );
    const body = text.slice(end + 4);
    if (body.length < Number(headers.get('content-length') ?? 0)) return undefined;
    return { status: Number(statusLine!.split(' ')[1]), headers, body };
  }

  async waitAnswer(timeoutMs: number) {
    await waitFor(() => this.answer() !== undefined, timeoutMs, `an answer (got ${JSON.stringify(this.text)})`);
    return this.answer()!;
  }

  async waitClosed(timeoutMs: number): Promise<void> {
    await waitFor(() => this.closed, timeoutMs, 'the server to close the connection');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

const imageHeaders = (extra: Record<string, string | number>) => ({
  'content-type': 'application/octet-stream',
  ...extra,
});

describe('no body before the key', () => {
  test('a keyless 6 MB upload is answered 401 before any byte of its body is sent, and the connection closes', async () => {
    for (const [path, credentials, code] of <[string, Record<string, string>, string][]>[
      ['/detect', {}, 'UNAUTHORIZED'],
      ['/detect', { 'ocp-apim-subscription-key': 'wrong-key-0123456789ab' }, 'UNAUTHORIZED'],
      ['/face/v1.2/detect', { authorization: 'Bearer wrong-key-0123456789ab' }, '401'],
      ['/largepersongroups/g/persons/3f0c2a4e-8d2e-4c1a-9b7f-0a1b2c3d4e5f/persistedfaces', {}, 'UNAUTHORIZED'],
    ]) {
      const request = RawRequest.post(path, imageHeaders({ 'content-length': sixMegabytes, ...credentials }));
      const answer = await request.waitAnswer(5_000);
      assert.equal(answer.status, 401, path);
      assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, code, path);
      assert.equal(answer.headers.get('connection'), 'close', path);
      await request.waitClosed(5_000);
    }
  });

  test('a client that waits for 100 Continue gets the 401 instead, and never sends its body', async () => {
    const request = RawRequest.post(
      '/detect',
      imageHeaders({ 'content-length': sixMegabytes, expect: '100-continue' }),
    );
    const answer = await request.waitAnswer(5_000);
    assert.equal(answer.status, 401);
    assert.doesNotMatch(request.text, /^HTTP\/1\.1 100/);
    await request.waitClosed(5_000);
  });

  test('with a key, 100 Continue comes and the body is read', async () => {
    const request = RawRequest.post(
      '/detect',
      imageHeaders({ 'content-length': 2048, expect: '100-continue', 'ocp-apim-subscription-key': key }),
    );
    await waitFor(() => /^HTTP\/1\.1 100 Continue\r\n/.test(request.text), 5_000, '100 Continue');
    request.socket.write(Buffer.alloc(2048, 0x20));
    const answer = await request.waitAnswer(10_000);
    assert.equal(answer.status, 400);
    assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'INVALID_IMAGE');
    request.destroy();
  });

  test('a declared body over the image limit is refused from its length, before any of it is sent', async () => {
    const request = RawRequest.post(
      '/detect',
      imageHeaders({ 'content-length': sixMegabytes + 1, 'ocp-apim-subscription-key': key }),
    );
    const answer = await request.waitAnswer(5_000);
    assert.equal(answer.status, 400);
    assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'IMAGE_TOO_LARGE');
    request.destroy();
  });
});

describe('read deadlines', () => {
  test('a connection that sends its headers too slowly is answered 408 and closed at HEADERS_TIMEOUT_MS', async () => {
    const started = Date.now();
    const request = new RawRequest('POST /detect HTTP/1.1\r\nhost: 127.0.0.1\r\n');
    const trickle = setInterval(() => request.socket.write('x-slow: 1\r\n'), 300);
    try {
      await request.waitClosed(headersTimeoutMs + deadlineSlackMs);
    } finally {
      clearInterval(trickle);
    }
    assert.match(request.text, /^HTTP\/1\.1 408 /);
    assert.ok(Date.now() - started >= headersTimeoutMs - 100, 'not before the deadline');
  });

  test('a body sent too slowly is cut at REQUEST_TIMEOUT_MS, and its image request no longer counts', async () => {
    const slow = Array.from({ length: imageRequestsPerKey }, () =>
      RawRequest.post('/detect', imageHeaders({ 'content-length': 100_000, 'ocp-apim-subscription-key': key })),
    );
    const trickle = setInterval(() => slow.forEach((request) => request.socket.write(Buffer.alloc(100))), 300);
    try {
      await Promise.all(slow.map((request) => request.waitClosed(requestTimeoutMs + deadlineSlackMs)));
    } finally {
      clearInterval(trickle);
    }
    for (const request of slow) assert.match(request.text, /^HTTP\/1\.1 408 /);
    const next = RawRequest.post('/detect', imageHeaders({ 'content-length': 2048, 'ocp-apim-subscription-key': key }));
    next.socket.write(Buffer.alloc(2048, 0x20));
    assert.equal((await next.waitAnswer(10_000)).status, 400, 'served (and refused as no image), not 429');
    next.destroy();
  });
});

describe('image requests per key', () => {
  test('past IMAGE_REQUESTS_PER_KEY open image requests a key gets 429 with Retry-After before its body is read', async () => {
    const holding = Array.from({ length: imageRequestsPerKey }, () =>
      RawRequest.post('/detect', imageHeaders({ 'content-length': 100_000, 'ocp-apim-subscription-key': key })),
    );
    try {
      // Each holder has sent part of its body, so each is being read.
      for (const request of holding) request.socket.write(Buffer.alloc(1000));
      let refused: ReturnType<RawRequest['answer']>;
      await waitFor(
        async () => {
          const extra = RawRequest.post(
            '/detect',
            imageHeaders({ 'content-length': sixMegabytes, 'ocp-apim-subscription-key': key }),
          );
          refused = await extra.waitAnswer(5_000);
          extra.destroy();
          return refused.status === 429;
        },
        5_000,
        'the image request past the cap to be refused',
      );
      assert.match(refused!.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.equal((JSON.parse(refused!.body) as { error: { code: string } }).error.code, 'RATE_LIMITED');
      assert.equal(refused!.headers.get('connection'), 'close');

      const otherTenant = RawRequest.post(
        '/detect',
        imageHeaders({ 'content-length': 2048, 'ocp-apim-subscription-key': otherKey }),
      );
      otherTenant.socket.write(Buffer.alloc(2048, 0x20));
      assert.equal((await otherTenant.waitAnswer(10_000)).status, 400, 'another key is not held back');
      otherTenant.destroy();

      const nonImage = await fetch(`${stack.baseUrl}/largepersongroups`, {
        headers: { 'ocp-apim-subscription-key': key },
      });
      assert.equal(nonImage.status, 200, 'other routes of the key are not held back');
    } finally {
      holding.forEach((request) => request.destroy());
    }
    await waitFor(
      async () => {
        const again = RawRequest.post(
          '/detect',
          imageHeaders({ 'content-length': 2048, 'ocp-apim-subscription-key': key }),
        );
        again.socket.write(Buffer.alloc(2048, 0x20));
        const answer = await again.waitAnswer(5_000);
        again.destroy();
        return answer.status === 400;
      },
      5_000,
      'the key to be served again once its requests closed',
    );
  });
});

describe('memory under abuse', () => {
  test(`200 abusive connections at once grow the gateway's RSS by less than ${rssGrowthBoundMb} MB`, async () => {
    const pid = stack.running('gateway')[0]!.pid!;
    const rssMb = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
    const baseline = rssMb();
    const body = Buffer.alloc(sixMegabytes - 1, 0x20);
    const connections: RawRequest[] = [];
    // 80 keyless uploads that send all but the last byte of a 6 MB body, then wait.
    for (let i = 0; i < 80; i++) {
      const request = RawRequest.post('/detect', imageHeaders({ 'content-length': sixMegabytes }));
      request.socket.write(body);
      connections.push(request);
    }
    // 40 keyed uploads streamed without a length, past the image limit.
    for (let i = 0; i < 40; i++) {
      const request = RawRequest.post(
        '/detect',
        imageHeaders({ 'transfer-encoding': 'chunked', 'ocp-apim-subscription-key': i % 2 ? key : otherKey }),
      );
      request.socket.write(`${(sixMegabytes + 1024).toString(16)}\r\n`);
      request.socket.write(Buffer.alloc(sixMegabytes + 1024, 0x20));
      connections.push(request);
    }
    // 40 keyed uploads that trickle their body, and 40 connections that trickle their headers.
    const trickling: RawRequest[] = [];
    for (let i = 0; i < 40; i++) {
      trickling.push(
        RawRequest.post('/detect', imageHeaders({ 'content-length': 100_000, 'ocp-apim-subscription-key': key })),
      );
      trickling.push(new RawRequest('POST /detect HTTP/1.1\r\nhost: 127.0.0.1\r\n'));
    }
    connections.push(...trickling);
    assert.equal(connections.length, 200);
    const trickle = setInterval(() => trickling.forEach((request) => request.socket.write('x')), 200);
    let peak = baseline;
    let allClosed = false;
    try {
      await waitFor(
        () => {
          peak = Math.max(peak, rssMb());
          return (allClosed = connections.every((request) => request.isClosed));
        },
        requestTimeoutMs + 3 * deadlineSlackMs,
        'every abusive connection to be closed by the gateway',
      ).catch(() => undefined);
    } finally {
      clearInterval(trickle);
      connections.forEach((request) => request.destroy());
    }
    const growth = peak - baseline;
    console.log(
      `gateway RSS: baseline ${baseline.toFixed(1)} MB, peak ${peak.toFixed(1)} MB, growth ${growth.toFixed(1)} MB`,
    );
    assert.ok(growth < rssGrowthBoundMb, `RSS grew by ${growth.toFixed(1)} MB`);
    assert.ok(allClosed, 'the gateway closed every abusive connection by its deadlines');
    const health = await fetch(`${stack.baseUrl}/health`);
    assert.equal(health.status, 200, 'the gateway still serves');
  });
});
