import { IsString, IsUUID } from 'class-validator';
import { IsOmittable } from '../common/validation';

/** Face to face ({faceId1, faceId2}) or face to person ({faceId, largePersonGroupId or personGroupId, personId}). */
export class VerifyBody {
  @IsOmittable()
  @IsUUID('all')
  faceId1?: string;

  @IsOmittable()
  @IsUUID('all')
  faceId2?: string;

  @IsOmittable()
  @IsUUID('all')
  faceId?: string;

  @IsOmittable()
  @IsString()
  largePersonGroupId?: string;

  @IsOmittable()
  @IsString()
  personGroupId?: string;

  @IsOmittable()
  @IsUUID('all')
  personId?: string;
}
