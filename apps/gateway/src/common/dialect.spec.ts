import 'reflect-metadata';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PATH_METADATA } from '@nestjs/common/constants';
import { NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { apiControllers } from '../api-controllers';
import { isAzurePath } from '../azure/azure.routes';
import { ConsoleController } from '../console/console.controller';
import { OpenApiController } from '../openapi/openapi.controller';
import { dialectOf } from './dialect';
import { unroutedErrorFilter } from './dialect-error.filter';

test('every controller declares its dialect: Azure for the routes under the Azure prefix, the envelope elsewhere', () => {
  for (const controller of [...apiControllers, OpenApiController, ConsoleController]) {
    const paths = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
    const expected = paths.every((path) => isAzurePath(`/${path}`)) ? 'azure' : 'envelope';
    assert.equal(dialectOf(controller), expected, controller.name);
  }
});

function answerOf(path: string): { status: number; headers: Record<string, string>; body: unknown } {
  const answer = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const response = {
    headersSent: false,
    status(code: number) {
      answer.status = code;
      return response;
    },
    setHeader(name: string, value: string) {
      answer.headers[name] = value;
    },
    json(body: unknown) {
      answer.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ path, complete: true }), getResponse: () => response }),
  } as unknown as ArgumentsHost;
  unroutedErrorFilter.catch(new NotFoundException(), host);
  return answer;
}

test('a request no controller took gets Azure NotFound under the Azure prefix and the envelope elsewhere', () => {
  const azure = answerOf('/face/v9.9/largepersongroups');
  assert.equal(azure.status, 404);
  assert.equal(azure.headers['x-ms-error-code'], 'NotFound');
  assert.deepEqual(Object.keys(azure.body as object), ['error']);
  const envelope = answerOf('/no-such-route');
  assert.equal(envelope.status, 404);
  assert.equal(envelope.headers['x-ms-error-code'], undefined);
  assert.equal((envelope.body as { success: boolean }).success, false);
});
