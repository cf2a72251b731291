import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { Dialect } from '../common/dialect';
import { renderDocsPage } from './docs-page';
import type { OpenApiDocument } from './openapi-document';

/** Provided with the committed document (published-document.ts). */
export class ApiDescription {
  constructor(readonly document: OpenApiDocument) {}
}

/** The API description, public like the health probes: it holds nothing a caller's key would protect. */
@Public()
@Dialect('envelope')
@Controller()
export class OpenApiController {
  private readonly page: string;

  constructor(private readonly description: ApiDescription) {
    this.page = renderDocsPage(description.document);
  }

  @Get('openapi.json')
  openApi(): OpenApiDocument {
    return this.description.document;
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
  docs(): string {
    return this.page;
  }
}
