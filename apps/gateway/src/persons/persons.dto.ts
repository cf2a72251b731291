import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsOmittable } from '../common/validation';
import { Limits } from '#contracts';

export class CreatePersonBody {
  @IsString()
  @Length(1, Limits.nameMaxLength)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(Limits.personUserDataMaxLength)
  userData?: string;
}

export class UpdatePersonBody {
  @IsOmittable()
  @IsString()
  @Length(1, Limits.nameMaxLength)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(Limits.personUserDataMaxLength)
  userData?: string;
}
