/**
 * JSON Schema of a request DTO, read from the class-validator decorators that validate it, so the document
 * states exactly the rules the gateway enforces. A decorator this file does not know fails loudly.
 */
import { getMetadataStorage } from 'class-validator';
import { sentUnlessOmitted } from '../common/validation';

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

export type Schema = Record<string, unknown>;

export interface DtoSchema {
  properties: Record<string, Schema>;
  required: string[];
}

type Rule = (constraints: unknown[]) => Schema;

const rules: Record<string, Rule> = {
  isString: () => ({ type: 'string' }),
  isInt: () => ({ type: 'integer' }),
  isNumber: () => ({ type: 'number' }),
  isArray: () => ({ type: 'array' }),
  isUuid: () => ({ type: 'string', format: 'uuid' }),
  isIn: ([values]) => inSchema(values as unknown[]),
  isLength: ([min, max]) => ({ minLength: min, ...(max === undefined ? {} : { maxLength: max }) }),
  maxLength: ([max]) => ({ maxLength: max }),
  min: ([min]) => ({ minimum: min }),
  max: ([max]) => ({ maximum: max }),
  matches: ([pattern]) => ({ type: 'string', pattern: (pattern as RegExp).source }),
  arrayMinSize: ([min]) => ({ minItems: min }),
  arrayMaxSize: ([max]) => ({ maxItems: max }),
};

export function dtoSchema(dto: abstract new () => unknown): DtoSchema {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const properties: Record<string, Schema> = {};
  const optional = new Set<string>();
  for (const rule of metadata) {
    if (rule.name === 'isOptional' || isOmittable(rule)) optional.add(rule.propertyName);
    else properties[rule.propertyName] = merge(properties[rule.propertyName] ?? {}, schemaOf(dto, rule));
  }
  return {
    properties: Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, ordered(schema)])),
    required: Object.keys(properties).filter((name) => !optional.has(name)),
  };
}

function isOmittable(rule: ValidationMetadata): boolean {
  return rule.type === 'conditionalValidation' && rule.constraints?.[0] === sentUnlessOmitted;
}

function schemaOf(dto: { name: string }, rule: ValidationMetadata): Schema {
  // A field that must not be sent: the schema refuses any value and says why.
  if (rule.name === 'isEmpty') return { not: {}, description: String(rule.message) };
  const toSchema = rule.name === undefined ? undefined : rules[rule.name];
  if (!toSchema) throw new Error(`OpenAPI: ${dto.name}.${rule.propertyName} uses @${rule.name}, unknown to dto-schema`);
  const schema = toSchema(rule.constraints ?? []);
  return rule.each ? { items: schema } : schema;
}

function inSchema(values: unknown[]): Schema {
  if (values.every((value) => typeof value === 'boolean')) return { type: 'boolean' };
  return { type: typeof values[0] === 'number' ? 'number' : 'string', enum: values };
}

function merge(into: Schema, from: Schema): Schema {
  const items = into.items && from.items ? { items: { ...(into.items as Schema), ...(from.items as Schema) } } : {};
  return { ...into, ...from, ...items };
}

/** `type` first, then the rest by name, so the document does not depend on the order of decorators. */
function ordered(schema: Schema): Schema {
  const { type, ...rest } = schema;
  const sorted = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
  return type === undefined ? sorted : { type, ...sorted };
}
