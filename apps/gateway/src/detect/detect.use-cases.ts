import { Injectable } from '@nestjs/common';
import {
  defaultDetectionModel,
  defaultRecognitionModel,
  VisageError,
  type DetectionModel,
  type FaceRectangle,
  type RecognitionModel,
} from '#contracts';
import { MessageClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { imageBytesOf, type ImageInput } from '../common/image-input';
import { ExtractionScheduler } from '../extraction/extraction-scheduler';
import { ImageFetcher } from '../images/image-fetcher';
import type { DetectQuery } from './detect.dto';
import { azureLandmarks, type AzureLandmarks } from './face-landmarks';
import {
  type ComputedAttribute,
  faceAttributesOf,
  type FaceAttributesView,
  measuredAttributesOf,
  parseFaceAttributes,
} from './face-attributes';

const maxFacesPerImage = 100;
const defaultFaceIdTtlSeconds = 86_400;

export interface DetectedFaceView {
  faceId?: string;
  recognitionModel?: RecognitionModel;
  faceRectangle: FaceRectangle;
  faceLandmarks?: AzureLandmarks;
  /** Only when attributes were asked for. */
  faceAttributes?: FaceAttributesView;
}

export interface DetectOptions {
  returnFaceId: boolean;
  returnFaceLandmarks: boolean;
  attributes: ComputedAttribute[];
  recognitionModel: RecognitionModel;
  returnRecognitionModel: boolean;
  detectionModel: DetectionModel;
  faceIdTimeToLive: number;
}

@Injectable()
export class DetectUseCases {
  constructor(
    private readonly rpc: MessageClient,
    private readonly images: ImageFetcher,
    private readonly extractions: ExtractionScheduler,
  ) {}

  options(query: DetectQuery): DetectOptions {
    const detectionModel = query.detectionModel ?? defaultDetectionModel;
    const attributes = parseFaceAttributes(query.returnFaceAttributes, detectionModel);
    const returnFaceLandmarks = query.returnFaceLandmarks ?? false;
    if (detectionModel === 'detection_02' && returnFaceLandmarks) {
      throw new VisageError('VALIDATION_ERROR', "'returnLandmarks' is not supported by detection_02.");
    }
    return {
      returnFaceId: query.returnFaceId ?? true,
      returnFaceLandmarks,
      attributes,
      recognitionModel: query.recognitionModel ?? defaultRecognitionModel,
      returnRecognitionModel: query.returnRecognitionModel ?? false,
      detectionModel,
      faceIdTimeToLive: query.faceIdTimeToLive ?? defaultFaceIdTtlSeconds,
    };
  }

  /** Every face of the image, largest first (at most 100); faceIds keep the vectors for identify and verify. */
  async detect(caller: Caller, image: ImageInput, options: DetectOptions): Promise<DetectedFaceView[]> {
    const bytes = await imageBytesOf(image, this.images);
    const extracted = await this.extractions.extract(caller, {
      image: bytes,
      detectionModel: options.detectionModel,
      recognitionModel: options.recognitionModel,
      purpose: 'detect',
      returnLandmarks: options.returnFaceLandmarks,
      maxFaces: maxFacesPerImage,
      attributes: measuredAttributesOf(options.attributes),
    });
    let faceIds: string[] = [];
    if (options.returnFaceId && extracted.faces.length > 0) {
      ({ faceIds } = await this.rpc.send(
        'detected.save',
        {
          tenantId: caller.tenantId,
          recognitionModel: options.recognitionModel,
          ttlSeconds: options.faceIdTimeToLive,
          embeddings: extracted.faces.map((f) => f.embedding),
        },
        sendOptions(caller),
      ));
    }
    return extracted.faces.map((face, i) => ({
      ...(options.returnFaceId ? { faceId: faceIds[i] } : {}),
      ...(options.returnFaceId && options.returnRecognitionModel ? { recognitionModel: options.recognitionModel } : {}),
      faceRectangle: face.rectangle,
      ...(options.returnFaceLandmarks && face.landmarks ? { faceLandmarks: azureLandmarks(face.landmarks) } : {}),
      ...(options.attributes.length > 0 ? { faceAttributes: faceAttributesOf(face, options.attributes) } : {}),
    }));
  }
}
