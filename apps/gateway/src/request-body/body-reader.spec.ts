import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { VisageError } from '#contracts';
import { mediaTypeOf, parseJsonBody, readBody, type BodyLimit } from './body-reader';

const json = (contentType = 'application/json') => ({ headers: { 'content-type': contentType } });
const code = (key: string) => (error: unknown) => error instanceof VisageError && error.key === key;

test('the media type is the lower-case type without parameters', () => {
  assert.equal(mediaTypeOf(json('Application/JSON; charset=utf-8')), 'application/json');
  assert.equal(mediaTypeOf({ headers: {} }), '');
});

test('JSON bodies are objects or arrays in UTF-8; an empty body is {}', () => {
  assert.deepEqual(parseJsonBody(Buffer.from('{"name": "a"}'), json()), { name: 'a' });
  assert.deepEqual(parseJsonBody(Buffer.from(' [1]'), json('application/json; charset=UTF-8')), [1]);
  assert.deepEqual(parseJsonBody(Buffer.alloc(0), json()), {});
  assert.throws(() => parseJsonBody(Buffer.from('{"name": '), json()), code('INVALID_JSON'));
  assert.throws(() => parseJsonBody(Buffer.from('"text"'), json()), code('INVALID_JSON'));
  assert.throws(
    () => parseJsonBody(Buffer.from('{}'), json('application/json; charset=latin1')),
    code('UNSUPPORTED_MEDIA_TYPE'),
  );
});

/** A server that reads each body with `limit` and answers what came of it. */
async function readingServer(limit: BodyLimit) {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    readBody(request, response, limit).then(
      (body) => response.end(`read ${body.length}`),
      (error: VisageError) => response.setHeader('connection', 'close').end(`refused ${error.key}`),
    );
  });
  server.on('checkContinue', (request, response) => server.emit('request', request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function post(port: number, headers: Record<string, string | number>, body?: Buffer) {
  return new Promise<{ text: string; continued: boolean }>((resolve, reject) => {
    let continued = false;
    const request = httpRequest({ port, host: '127.0.0.1', method: 'POST', headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ text, continued }));
    });
    request.on('continue', () => {
      continued = true;
      request.end(body);
    });
    request.on('error', reject);
    if (headers.expect === undefined) request.end(body);
  });
}

test('a body is read up to its limit; a declared or streamed excess is refused', async () => {
  const { server, port } = await readingServer({ maxBytes: 1000, tooLarge: () => new VisageError('IMAGE_TOO_LARGE') });
  try {
    assert.equal((await post(port, {}, Buffer.alloc(1000))).text, 'read 1000');
    assert.equal((await post(port, { 'content-length': 1001 })).text, 'refused IMAGE_TOO_LARGE');
    assert.equal(
      (await post(port, { 'transfer-encoding': 'chunked' }, Buffer.alloc(5000))).text,
      'refused IMAGE_TOO_LARGE',
    );
    assert.equal(
      (await post(port, { 'content-encoding': 'gzip' }, Buffer.alloc(10))).text,
      'refused UNSUPPORTED_MEDIA_TYPE',
    );
  } finally {
    server.close();
  }
});

test('a client waiting for 100 Continue gets it when its body is read', async () => {
  const { server, port } = await readingServer({ maxBytes: 1000, tooLarge: () => new VisageError('IMAGE_TOO_LARGE') });
  try {
    const answer = await post(port, { expect: '100-continue', 'content-length': 10 }, Buffer.alloc(10));
    assert.deepEqual(answer, { text: 'read 10', continued: true });
  } finally {
    server.close();
  }
});
