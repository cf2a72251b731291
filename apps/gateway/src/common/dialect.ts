/**
 * Each controller declares the dialect its routes speak, and errors on its routes are rendered in it: Azure's
 * error shape and `x-ms-error-code` for the Azure routes, the envelope for Visage's own. A request that no
 * controller took (an unknown route or API version) has no declaration; `unroutedErrorFilter` answers it.
 */
import { applyDecorators, SetMetadata, UseFilters } from '@nestjs/common';
import { DialectErrorFilter } from './dialect-error.filter';

export type Dialect = 'azure' | 'envelope';

export const DIALECT = Symbol('dialect');

const filters: Record<Dialect, DialectErrorFilter> = {
  azure: new DialectErrorFilter(() => 'azure'),
  envelope: new DialectErrorFilter(() => 'envelope'),
};

/** Marks a controller's dialect; its filter takes the errors of every route of the controller, guards included. */
export function Dialect(dialect: Dialect): ClassDecorator {
  return applyDecorators(SetMetadata(DIALECT, dialect), UseFilters(filters[dialect]));
}

/** The dialect a controller declared, if any. */
export function dialectOf(controller: object): Dialect | undefined {
  return Reflect.getMetadata(DIALECT, controller) as Dialect | undefined;
}
