import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, IsUUID, Max, Min } from 'class-validator';
import { IsOmittable } from '../common/validation';

export const findSimilarModes = ['matchPerson', 'matchFace'] as const;

/** The query face and exactly one target: `faceIds`, `faceListId` or `largeFaceListId`. */
export class FindSimilarBody {
  @IsUUID('all')
  faceId!: string;

  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  faceIds?: string[];

  @IsOmittable()
  @IsString()
  faceListId?: string;

  @IsOmittable()
  @IsString()
  largeFaceListId?: string;

  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxNumOfCandidatesReturned?: number;

  @IsOmittable()
  @IsIn(findSimilarModes)
  mode?: (typeof findSimilarModes)[number];
}
