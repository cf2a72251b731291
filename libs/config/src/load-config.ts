/**
 * Configuration comes only from environment variables, declared once per service as a class-validator class
 * and validated at start; a bad value stops the service with a message naming the variable. Each variable is a
 * property marked `@Env()`: the services read exactly those, whether or not the property has a default.
 */
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

const secretKey = Symbol('visage:config-secret');
const variablesKey = Symbol('visage:config-variables');

/** Declares a property as an environment variable of its config class (and of the classes extending it). */
export function Env(): PropertyDecorator {
  return (target, property) => {
    const inherited = (Reflect.getMetadata(variablesKey, target) as string[] | undefined) ?? [];
    Reflect.defineMetadata(variablesKey, [...inherited, String(property)], target);
  };
}

/** The variables a config class declares, its base classes' first. */
export function variablesOf(schema: new () => object): readonly string[] {
  return (Reflect.getMetadata(variablesKey, schema.prototype) as string[] | undefined) ?? [];
}

/** Marks a variable whose value is never printed, not even in a configuration error. */
export function Secret(): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(secretKey, true, target, property);
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new schema() as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const key of variablesOf(schema)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(schema, { ...defaults, ...raw }, { enableImplicitConversion: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => {
        const value = raw[e.property] ?? defaults[e.property];
        const shown = Reflect.getMetadata(secretKey, config, e.property) ? '(hidden)' : printable(value);
        return `${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join('; ')}`;
      }),
    );
  }
  return config;
}

/** A value as a configuration error shows it: JSON, with the password of any URL in it replaced. */
export function printable(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/(\/\/[^/?#@\s"]*?:)[^\s"]*@/g, '$1***@');
}
