import { Controller, Get, Param, Res } from '@nestjs/common';
import { VisageError } from '#contracts';
import { Public } from '../auth/public.decorator';
import { Dialect } from '../common/dialect';
import { ConsoleAssets, type ConsoleFile } from './console-assets';

interface FileResponse {
  status(code: number): FileResponse;
  setHeader(name: string, value: string): void;
  end(body: Buffer | string): void;
}

/**
 * The page and its script and stylesheet are public like /docs: they hold no data. Everything the page shows
 * comes from the API, called by the browser with the key the user enters.
 */
export const consoleSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // Photos are shown from object URLs: they stay in the browser.
  "img-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

@Public()
@Dialect('envelope')
@Controller('console')
export class ConsoleController {
  constructor(private readonly assets: ConsoleAssets) {}

  @Get()
  page(@Res() response: FileResponse): void {
    const page = this.assets.page;
    if (page === undefined) {
      response.status(404).setHeader('content-type', 'text/plain; charset=utf-8');
      response.end('The console is not built: run `npm run build`.\n');
      return;
    }
    send(response, page);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() response: FileResponse): void {
    const file = this.assets.asset(name);
    if (file === undefined) throw new VisageError('ROUTE_NOT_FOUND');
    send(response, file);
  }
}

function send(response: FileResponse, file: ConsoleFile): void {
  response.setHeader('content-type', file.contentType);
  response.setHeader('content-security-policy', consoleSecurityPolicy);
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  response.status(200).end(file.body);
}
