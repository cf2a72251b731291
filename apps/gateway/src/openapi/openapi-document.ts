/**
 * The OpenAPI 3.1 document of both dialects, built from the code that serves them: routes, status codes and
 * parameters from Nest's route metadata, parameter rules from the id pipes, bodies and queries from the
 * class-validator DTOs, answers from operation-docs.ts, error codes from the catalogue.
 */
import 'reflect-metadata';
import { RequestMethod, type Type } from '@nestjs/common';
import {
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  PARAMTYPES_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ErrorCatalogue, Limits, type ErrorKey } from '#contracts';
import { IS_PUBLIC } from '../auth/public.decorator';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { GroupIdPipe, UuidPipe } from '../common/validation';
import { UrlImageBody } from '../faces/faces.dto';
import { dtoSchema, type Schema } from './dto-schema';
import { operationDocs, type Dialect, type OperationDoc } from './operation-docs';
import { replySchemas } from './reply-schemas';

export type OpenApiDocument = Schema & { paths: Record<string, Record<string, Operation>> };

export interface Operation extends Schema {
  operationId: string;
  summary: string;
  tags: string[];
}

interface RouteArg {
  index: number;
  data?: unknown;
  pipes?: unknown[];
  factory?: unknown;
}

/** Azure routes repeat under every API version (azure.routes.ts); the document lists them once. */
const azureVersioned = /^\/face\/([^/]+)(\/.*)?$/;

const idempotencyKeyFactory = factoryOf(IdempotencyKey());

export function buildOpenApiDocument(controllers: Type[]): OpenApiDocument {
  const schemas: Record<string, Schema> = {};
  const errorResponses = new SharedResponses();
  const paths: Record<string, Record<string, Operation>> = {};
  for (const controller of controllers) {
    const docs = operationDocs.get(controller);
    if (!docs) throw new Error(`OpenAPI: ${controller.name} is not described in operation-docs.ts`);
    for (const method of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[method] as object;
      const verb = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (verb === undefined) continue;
      const doc = docs.operations[method];
      if (!doc) throw new Error(`OpenAPI: ${controller.name}.${method} is not described in operation-docs.ts`);
      const { path, versions } = routeOf(controller, handler);
      const operation = describeOperation(controller, method, handler, verb, docs.dialect, doc, versions, {
        schemas,
        errorResponses,
      });
      paths[path] = { ...paths[path], [RequestMethod[verb].toLowerCase()]: operation };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Visage',
      version: '1',
      description:
        'Self-hosted face identification with the API of Azure AI Face: large person groups, person groups, ' +
        'detect, identify and verify. Two dialects serve the same operations: the envelope dialect at ' +
        '/largepersongroups/..., /persongroups/... and the Azure dialect at /face/{apiVersion}/... (see docs/api.md).',
    },
    tags: [
      { name: 'envelope', description: 'Answers wrapped as {"success": true, "data"} or {"success": false, "error"}' },
      { name: 'azure', description: "Azure Face's paths, bodies, status codes and errors" },
      { name: 'health', description: 'Probes; no API key needed' },
    ],
    security: [{ subscriptionKey: [] }, { bearer: [] }],
    paths,
    components: {
      schemas: { ...schemas, ...replySchemas },
      securitySchemes: {
        subscriptionKey: { type: 'apiKey', in: 'header', name: 'Ocp-Apim-Subscription-Key' },
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key as the bearer token' },
      },
      responses: errorResponses.all,
      parameters: {
        RequestId: {
          name: 'x-request-id',
          in: 'header',
          description: 'Your id for this request in the logs; the answer carries the id used',
          schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          description:
            'For 48 hours the key is bound to your tenant, this operation, its target (the ids in the path) and its ' +
            'body: the same request again answers the first answer instead of writing twice; another request ' +
            'with the key is 422 IDEMPOTENCY_KEY_REUSED',
          schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
        },
      },
    },
  };
}

function describeOperation(
  controller: Type,
  method: string,
  handler: object,
  verb: RequestMethod,
  dialect: Dialect,
  doc: OperationDoc,
  versions: string[],
  { schemas, errorResponses }: { schemas: Record<string, Schema>; errorResponses: SharedResponses },
): Operation {
  const isPublic =
    Reflect.getMetadata(IS_PUBLIC, handler) === true || Reflect.getMetadata(IS_PUBLIC, controller) === true;
  const argTypes = (Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype, method) ?? []) as Type[];
  const args = Object.entries(
    (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, RouteArg>,
  )
    // Nest keys each argument `${RouteParamtypes}:${index}`; a custom decorator's type is an id of its own (NaN).
    .map(([key, arg]) => ({ ...arg, type: Number(key.split(':')[0]) }))
    .sort((a, b) => a.index - b.index);
  const parameters: Schema[] = versions.length > 0 ? [versionParameter(versions)] : [];
  let requestBody: Schema | undefined = doc.image ? imageBody(schemas) : undefined;
  for (const arg of args) {
    if (arg.type === RouteParamtypes.PARAM) {
      parameters.push({ name: arg.data, in: 'path', required: true, schema: pathSchema(arg.pipes ?? []) });
    } else if (arg.type === RouteParamtypes.QUERY) {
      const query = dtoSchema(argTypes[arg.index]!);
      for (const [name, schema] of Object.entries(query.properties)) {
        parameters.push({ name, in: 'query', required: query.required.includes(name), schema });
      }
    } else if (arg.type === RouteParamtypes.BODY) {
      const schema = dtoRef(argTypes[arg.index]!, schemas);
      requestBody = { required: true, content: { 'application/json': { schema } } };
    } else if (arg.factory === idempotencyKeyFactory) {
      parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
    }
  }
  parameters.push({ $ref: '#/components/parameters/RequestId' });
  const status = String(Reflect.getMetadata(HTTP_CODE_METADATA, handler) ?? (verb === RequestMethod.POST ? 201 : 200));
  const responses: Record<string, Schema> = {
    [status]: { ...answer(dialect, doc, status === '202' ? 'Accepted' : 'OK'), headers: headersOf(doc.headers) },
  };
  for (const [code, description] of Object.entries(doc.alsoAnswers ?? {})) {
    responses[code] = answer(dialect, doc, description);
  }
  if (!isPublic && !doc.errors) throw new Error(`OpenAPI: ${controller.name}.${method} declares no errors`);
  for (const [status, answer] of Object.entries(errorAnswers(dialect, doc.errors ?? []))) {
    responses[status] = errorResponses.refTo(`${dialect}Error${status}`, answer);
  }
  return {
    operationId: `${controller.name.replace(/Controller$/, '')}_${method}`,
    summary: doc.summary,
    tags: [dialect],
    ...(isPublic ? { security: [] } : {}),
    parameters,
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** The route of a handler in OpenAPI form (`/largepersongroups/{groupId}`), and the Azure versions it serves. */
function routeOf(controller: Type, handler: object): { path: string; versions: string[] } {
  const prefixes = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
  const own = Reflect.getMetadata(PATH_METADATA, handler) as string;
  const routes = prefixes.map((prefix) =>
    `/${prefix}/${own}`
      .replace(/\/+/g, '/')
      .replace(/(.)\/$/, '$1')
      .replace(/:(\w+)/g, '{$1}'),
  );
  const versioned = routes.map((route) => azureVersioned.exec(route));
  if (routes.length === 1 && !versioned[0]) return { path: routes[0]!, versions: [] };
  if (versioned.some((match) => !match) || new Set(versioned.map((match) => match![2])).size !== 1) {
    throw new Error(`OpenAPI: ${controller.name} serves several routes that are not Azure API versions`);
  }
  return { path: `/face/{apiVersion}${versioned[0]![2] ?? ''}`, versions: versioned.map((match) => match![1]!) };
}

function versionParameter(versions: string[]): Schema {
  return { name: 'apiVersion', in: 'path', required: true, schema: { type: 'string', enum: versions } };
}

/** Ids in paths are checked by pipes, not DTOs: a malformed id answers "not found" as in Azure. */
function pathSchema(pipes: unknown[]): Schema {
  if (pipes.some((pipe) => pipe instanceof GroupIdPipe))
    return { type: 'string', pattern: Limits.groupIdPattern.source };
  if (pipes.some((pipe) => pipe instanceof UuidPipe)) return { type: 'string', format: 'uuid' };
  return { type: 'string' };
}

function dtoRef(dto: Type, schemas: Record<string, Schema>): Schema {
  const { properties, required } = dtoSchema(dto);
  schemas[dto.name] = { type: 'object', properties, required };
  return { $ref: `#/components/schemas/${dto.name}` };
}

function imageBody(schemas: Record<string, Schema>): Schema {
  return {
    required: true,
    description: `JPEG, PNG, GIF or BMP of ${Limits.imageMinBytes} to ${Limits.imageMaxBytes} bytes, or its URL`,
    content: {
      'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
      'application/json': { schema: dtoRef(UrlImageBody, schemas) },
    },
  };
}

function answer(dialect: Dialect, doc: OperationDoc, description: string): Schema {
  if (!doc.reply) return { description: `${description}, empty body` };
  const schema =
    dialect === 'envelope'
      ? { type: 'object', properties: { success: { const: true }, data: doc.reply }, required: ['success', 'data'] }
      : doc.reply;
  return { description, content: { 'application/json': { schema } } };
}

function headersOf(headers: Record<string, string> = {}): Schema {
  const all = { 'x-request-id': 'the id of this request in the logs', ...headers };
  return Object.fromEntries(
    Object.entries(all).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
  );
}

/** One answer per error status, listing the catalogue codes of that status the operation may answer. */
function errorAnswers(dialect: Dialect, keys: readonly ErrorKey[]): Record<string, Schema> {
  const byStatus = new Map<number, ErrorKey[]>();
  for (const key of new Set(keys)) {
    const status = ErrorCatalogue[key].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), key]);
  }
  const answers: Record<string, Schema> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const entries = byStatus.get(status)!.map((key) => ErrorCatalogue[key]);
    const codes = [...new Set(entries.map((entry) => (dialect === 'azure' ? entry.azureCode : entry.code)))];
    const code = { type: 'string', enum: codes };
    const schema =
      dialect === 'azure'
        ? errorObject({ error: errorObject({ code, message: { type: 'string' } }) })
        : errorObject({
            success: { type: 'boolean', const: false },
            error: errorObject({ code, message: { type: 'string' } }),
          });
    const headers: Schema = {
      ...(dialect === 'azure' ? { 'x-ms-error-code': { description: 'error.code', schema: { type: 'string' } } } : {}),
      ...(entries.some((entry) => entry.retryable)
        ? { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer', minimum: 1 } } }
        : {}),
    };
    answers[String(status)] = {
      description: entries.map((entry) => `${entry.code}: ${entry.message}`).join(' | '),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: { 'application/json': { schema } },
    };
  }
  return answers;
}

/** Routes that answer the same error codes under one status share one named answer. */
class SharedResponses {
  readonly all: Record<string, Schema> = {};
  private readonly names = new Map<string, string>();

  refTo(baseName: string, answer: Schema): Schema {
    const key = JSON.stringify(answer);
    let name = this.names.get(key);
    if (name === undefined) {
      const taken = Object.keys(this.all).filter((n) => n === baseName || n.startsWith(`${baseName}_`)).length;
      name = taken === 0 ? baseName : `${baseName}_${taken + 1}`;
      this.names.set(key, name);
      this.all[name] = answer;
    }
    return { $ref: `#/components/responses/${name}` };
  }
}

function errorObject(properties: Record<string, Schema>): Schema {
  return { type: 'object', properties, required: Object.keys(properties) };
}

/** A custom parameter decorator is known by its factory; applying it to a probe reads the factory back. */
function factoryOf(decorator: ParameterDecorator): unknown {
  class Probe {
    handle(): void {}
  }
  decorator(Probe.prototype, 'handle', 0);
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Probe, 'handle') as Record<string, RouteArg>;
  return Object.values(args)[0]?.factory;
}
