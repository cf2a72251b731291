import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DetectionModels, RecognitionModels, type DetectionModel, type RecognitionModel } from '#contracts';
import { parseQueryBoolean } from '../groups/groups.dto';

export class DetectQuery {
  @IsOptional()
  @Transform(parseQueryBoolean)
  @IsIn([true, false])
  returnFaceId?: boolean;

  @IsOptional()
  @Transform(parseQueryBoolean)
  @IsIn([true, false])
  returnFaceLandmarks?: boolean;

  /** Comma-separated attribute names. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  returnFaceAttributes?: string;

  @IsOptional()
  @IsIn(RecognitionModels)
  recognitionModel?: RecognitionModel;

  @IsOptional()
  @Transform(parseQueryBoolean)
  @IsIn([true, false])
  returnRecognitionModel?: boolean;

  @IsOptional()
  @IsIn(DetectionModels)
  detectionModel?: DetectionModel;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(86400)
  faceIdTimeToLive?: number;
}
