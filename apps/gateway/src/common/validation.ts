/** Input checks shared by both dialects: ids in paths, and DTO validation that fails with catalogue errors. */
import { Param, ValidationPipe, type PipeTransform, type ValidationError } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { Collections, isUuid, Limits, VisageError, type CollectionKind, type ErrorKey } from '#contracts';
import { collectionRoutes, type GroupPath } from '../groups/collection-routes';

/**
 * A collection id in the path, with the kind its route serves. Azure answers a malformed id with the kind's
 * "not found" (404), except where the id is being created (`creating`: INVALID_GROUP_ID naming the field).
 */
export class GroupIdPipe implements PipeTransform<string, GroupPath> {
  constructor(
    private readonly kind: CollectionKind,
    private readonly creating = false,
  ) {}

  transform(value: string): GroupPath {
    if (typeof value !== 'string' || !Limits.groupIdPattern.test(value)) {
      if (!this.creating) throw new VisageError(Collections[this.kind].errors.notFound);
      const field = collectionRoutes[this.kind].idField;
      throw new VisageError('INVALID_GROUP_ID', `Invalid ${field}: 1-64 characters of a-z, 0-9, "-" and "_".`);
    }
    return { kind: this.kind, groupId: value };
  }
}

export class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly onInvalid: ErrorKey) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !isUuid(value)) throw new VisageError(this.onInvalid);
    return value.toLowerCase();
  }
}

export const PersonIdPipe = new UuidPipe('PERSON_NOT_FOUND');
export const PersistedFaceIdPipe = new UuidPipe('PERSISTED_FACE_NOT_FOUND');

/** The path parameters with their checks, declared the same way by every route of both dialects. */
export const GroupParam = (kind: CollectionKind, creating = false): ParameterDecorator =>
  Param('groupId', new GroupIdPipe(kind, creating));
export const PersonIdParam = (): ParameterDecorator => Param('personId', PersonIdPipe);
export const PersistedFaceIdParam = (): ParameterDecorator => Param('persistedFaceId', PersistedFaceIdPipe);

/** The condition of `IsOmittable`, by which the API description knows the field is optional. */
export const sentUnlessOmitted = (_object: object, value: unknown): boolean => value !== undefined;

/**
 * The field may be left out, but when sent it must be valid: unlike `IsOptional`, `null` is refused (a name
 * cannot be "nothing"). `IsOptional` stays only on `userData`, where null means "no user data".
 */
export const IsOmittable = (): PropertyDecorator => ValidateIf(sentUnlessOmitted);

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    validateCustomDecorators: false,
    exceptionFactory: (errors) => new VisageError('VALIDATION_ERROR', describe(errors)),
  });
}

function describe(errors: ValidationError[], prefix = ''): string {
  return errors
    .flatMap((error) => {
      const path = `${prefix}${error.property}`;
      const own = mainConstraint(error.constraints);
      const nested = error.children?.length ? [describe(error.children, `${path}.`)] : [];
      return [...own, ...nested].map((text) => (text.startsWith(path) ? text : `${path}: ${text}`));
    })
    .join('; ');
}

/** Constraints on what a value is, before those on its size: they say why the others failed too. */
const shapeConstraints = ['isEmpty', 'isArray', 'isString', 'isInt', 'isNumber', 'isUuid', 'isIn', 'matches'];

/**
 * One message per bad field: `top=abc` breaks isInt, min and max at once, and only "must be an integer" says
 * why; the size rules are reported once the value has the right shape.
 */
function mainConstraint(constraints: Record<string, string> = {}): string[] {
  const shape = shapeConstraints.find((name) => name in constraints);
  const name = shape ?? Object.keys(constraints)[0];
  return name === undefined ? [] : [constraints[name]!];
}
