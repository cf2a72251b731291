import { createServer } from 'node:http';
import { ExpressAdapter } from '@nestjs/platform-express';

export interface RequestDeadlines {
  /** Time to send the headers. */
  headersTimeoutMs: number;
  /** Time to send the whole request, headers and body. */
  requestTimeoutMs: number;
}

/** Node checks both deadlines on this period (30 s by default), so a slow sender overstays by at most this. */
const deadlineCheckMs = 1000;

/**
 * Express under an HTTP server that closes connections whose headers or body arrive too slowly (408), and that
 * leaves `100 Continue` to the body reader: a client that asks first sends its body only once it is wanted.
 */
export class RequestDeadlinesAdapter extends ExpressAdapter {
  constructor(private readonly deadlines: RequestDeadlines) {
    super();
  }

  override initHttpServer(): void {
    const server = createServer(
      {
        headersTimeout: this.deadlines.headersTimeoutMs,
        requestTimeout: this.deadlines.requestTimeoutMs,
        connectionsCheckingInterval: deadlineCheckMs,
      },
      this.getInstance(),
    );
    // With a listener here Node no longer sends 100 Continue by itself before the request is handled.
    server.on('checkContinue', (request, response) => server.emit('request', request, response));
    this.httpServer = server;
  }
}
