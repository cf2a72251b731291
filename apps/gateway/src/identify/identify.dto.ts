import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNumber, IsString, IsUUID, Max, Min } from 'class-validator';
import { IsOmittable } from '../common/validation';

export class IdentifyBody {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  faceIds!: string[];

  /** One of largePersonGroupId and personGroupId. */
  @IsOmittable()
  @IsString()
  largePersonGroupId?: string;

  @IsOmittable()
  @IsString()
  personGroupId?: string;

  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(100)
  maxNumOfCandidatesReturned?: number;

  @IsOmittable()
  @IsNumber()
  @Min(0)
  @Max(1)
  confidenceThreshold?: number;
}
