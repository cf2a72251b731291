import { IsOptional, IsString, IsUUID } from 'class-validator';

/** Face to face ({faceId1, faceId2}) or face to person ({faceId, largePersonGroupId, personId}). */
export class VerifyBody {
  @IsOptional()
  @IsUUID('all')
  faceId1?: string;

  @IsOptional()
  @IsUUID('all')
  faceId2?: string;

  @IsOptional()
  @IsUUID('all')
  faceId?: string;

  @IsOptional()
  @IsString()
  largePersonGroupId?: string;

  @IsOptional()
  @IsString()
  personGroupId?: string;

  @IsOptional()
  @IsUUID('all')
  personId?: string;
}
