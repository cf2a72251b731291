/** Microsoft's Face clients pointed at a test stack, and the helpers the suites that drive them share. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import createRestClient, { type FaceClient as RestClient } from '@azure-rest/ai-vision-face';
import { FaceClient } from '@azure/cognitiveservices-face';
import { AzureKeyCredential } from '@azure/core-auth';
import { ApiKeyCredentials, type RestError } from '@azure/ms-rest-js';
import { EnvelopeApi } from './api';
import { Stack } from './stack';

export function v5Client(baseUrl: string, key: string): FaceClient {
  return new FaceClient(new ApiKeyCredentials({ inHeader: { 'Ocp-Apim-Subscription-Key': key } }), baseUrl);
}

export function restClient(
  baseUrl: string,
  key: string,
  apiVersion: 'v1.1-preview.1' | 'v1.2-preview.1' | 'v1.2' = 'v1.2',
): RestClient {
  return createRestClient(baseUrl, new AzureKeyCredential(key), { apiVersion, allowInsecureConnection: true });
}

/** The envelope dialect with an API key on every call. */
export function keyedEnvelope(baseUrl: string, key: string): EnvelopeApi {
  const api = new EnvelopeApi(baseUrl);
  const call = api.call.bind(api);
  api.call = (method, route, body, headers = {}) =>
    call(method, route, body, { 'Ocp-Apim-Subscription-Key': key, ...headers });
  return api;
}

/** The v5 client rejects with a RestError carrying Azure's status and code. */
export async function v5Refusal(call: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(call, (error: RestError) => {
    assert.equal(error.statusCode, status, error.message);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

/** A loopback server with one JPEG at /face.jpg, for the add-from-URL calls. */
export async function servePhoto(photo: Buffer): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === '/face.jpg') response.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/face.jpg`, server };
}

/**
 * A stack with two tenants, `alpha` and `beta`, each with a key; Microsoft's clients and the envelope dialect as
 * alpha, the envelope as beta; and a photo served on loopback for the add-from-URL calls.
 */
export class TwoTenantStack {
  private constructor(
    readonly stack: Stack,
    readonly imageUrl: string,
    private readonly imageServer: Server,
  ) {}

  static readonly keys = { alpha: 'alpha-key-0123456789abcdef', beta: 'beta-key-0123456789abcdef' };

  static async start(photo: Buffer): Promise<TwoTenantStack> {
    const { url, server } = await servePhoto(photo);
    const { alpha, beta } = TwoTenantStack.keys;
    const stack = await Stack.start({
      env: { URL_FETCH_ALLOW: '127.0.0.1/32', API_KEYS: `${alpha}:alpha,${beta}:beta` },
    });
    return new TwoTenantStack(stack, url, server);
  }

  readonly v5 = (): FaceClient => v5Client(this.stack.baseUrl, TwoTenantStack.keys.alpha);
  readonly rest = (): RestClient => restClient(this.stack.baseUrl, TwoTenantStack.keys.alpha);
  readonly envelope = (tenant: 'alpha' | 'beta'): EnvelopeApi =>
    keyedEnvelope(this.stack.baseUrl, TwoTenantStack.keys[tenant]);

  async stop(): Promise<void> {
    await this.stack.stop();
    this.imageServer.close();
  }
}
