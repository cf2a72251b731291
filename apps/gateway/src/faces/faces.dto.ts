import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DetectionModels, Limits, type DetectionModel } from '#contracts';

export class AddFaceQuery {
  @IsOptional()
  @IsString()
  @MaxLength(Limits.faceUserDataMaxLength)
  userData?: string;

  /** left,top,width,height in pixels. */
  @IsOptional()
  @Matches(/^\d{1,5},\d{1,5},\d{1,5},\d{1,5}$/, { message: 'targetFace must be four integers: left,top,width,height' })
  targetFace?: string;

  @IsOptional()
  @IsIn(DetectionModels)
  detectionModel?: DetectionModel;
}

export class UrlImageBody {
  @IsString()
  @MaxLength(4096)
  url!: string;
}

export class UpdateFaceBody {
  @IsOptional()
  @IsString()
  @MaxLength(Limits.faceUserDataMaxLength)
  userData?: string;
}
