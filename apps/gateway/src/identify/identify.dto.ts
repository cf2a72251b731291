import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  Min,
} from 'class-validator';

export class IdentifyBody {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  faceIds!: string[];

  @IsOptional()
  @IsString()
  largePersonGroupId?: string;

  /** The non-large PersonGroup family is not served; named so the error can say so. */
  @IsOptional()
  @IsString()
  personGroupId?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxNumOfCandidatesReturned?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  confidenceThreshold?: number;
}
