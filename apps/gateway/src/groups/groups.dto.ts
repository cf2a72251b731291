import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable } from '../common/validation';
import { Limits, RecognitionModels, type RecognitionModel } from '#contracts';

/** Query booleans arrive as true/false in any case. */
export const parseQueryBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (/^true$/i.test(value) ? true : /^false$/i.test(value) ? false : value) : value;

export class CreateGroupBody {
  @IsString()
  @Length(1, Limits.nameMaxLength)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(Limits.groupUserDataMaxLength)
  userData?: string;

  @IsOmittable()
  @IsIn(RecognitionModels)
  recognitionModel?: RecognitionModel;
}

export class UpdateGroupBody {
  @IsOmittable()
  @IsString()
  @Length(1, Limits.nameMaxLength)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(Limits.groupUserDataMaxLength)
  userData?: string;
}

export class ListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(Limits.listStartMaxLength)
  start?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Limits.listTopMax)
  top?: number;
}

export class GroupQuery {
  @IsOptional()
  @Transform(parseQueryBoolean)
  @IsIn([true, false])
  returnRecognitionModel?: boolean;
}

export class ListGroupsQuery extends ListQuery {
  @IsOptional()
  @Transform(parseQueryBoolean)
  @IsIn([true, false])
  returnRecognitionModel?: boolean;
}
