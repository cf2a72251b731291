import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNumber, IsString, IsUUID, Max, Min } from 'class-validator';
import { IsOmittable, NotServedPersonGroupId } from '../common/validation';

export class IdentifyBody {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  faceIds!: string[];

  @IsString()
  largePersonGroupId!: string;

  @IsOmittable()
  @NotServedPersonGroupId()
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
