import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
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
  @IsOptional()
  @IsString()
  @Length(1, Limits.nameMaxLength)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(Limits.personUserDataMaxLength)
  userData?: string;
}
