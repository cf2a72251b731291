import { Injectable } from '@nestjs/common';
import {
  defaultDetectionModel,
  defaultRecognitionModel,
  VisageError,
  type DetectionModel,
  type FaceRectangle,
  type RecognitionModel,
} from '#contracts';
import { RpcClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { imageBytesOf, type ImageInput } from '../common/image-input';
import { ExtractionScheduler } from '../extraction/extraction-scheduler';
import { ImageFetcher } from '../images/image-fetcher';
import type { DetectQuery } from './detect.dto';
import { azureLandmarks, type AzureLandmarks } from './face-landmarks';
import { qualityForRecognition, type QualityForRecognition } from './face-quality';

/** Attributes this service computes; Azure's others are refused rather than faked. */
const supportedAttributes = ['qualityForRecognition'] as const;
const maxFacesPerImage = 100;
const defaultFaceIdTtlSeconds = 86_400;

export interface DetectedFaceView {
  faceId?: string;
  recognitionModel?: RecognitionModel;
  faceRectangle: FaceRectangle;
  faceLandmarks?: AzureLandmarks;
  qualityForRecognition: QualityForRecognition;
}

export interface DetectOptions {
  returnFaceId: boolean;
  returnFaceLandmarks: boolean;
  attributes: string[];
  recognitionModel: RecognitionModel;
  returnRecognitionModel: boolean;
  detectionModel: DetectionModel;
  faceIdTimeToLive: number;
}

@Injectable()
export class DetectUseCases {
  constructor(
    private readonly rpc: RpcClient,
    private readonly images: ImageFetcher,
    private readonly extractions: ExtractionScheduler,
  ) {}

  options(query: DetectQuery): DetectOptions {
    const attributes = (query.returnFaceAttributes ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a.length > 0);
    const unsupported = attributes.filter((a) => !(supportedAttributes as readonly string[]).includes(a));
    if (unsupported.length > 0) {
      throw new VisageError(
        'VALIDATION_ERROR',
        `returnFaceAttributes: ${unsupported.join(', ')} not supported; supported: ${supportedAttributes.join(', ')}.`,
      );
    }
    const detectionModel = query.detectionModel ?? defaultDetectionModel;
    const returnFaceLandmarks = query.returnFaceLandmarks ?? false;
    if (detectionModel === 'detection_02' && (returnFaceLandmarks || attributes.length > 0)) {
      throw new VisageError('VALIDATION_ERROR', 'detection_02 returns neither landmarks nor attributes.');
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
      qualityForRecognition: qualityForRecognition(face),
    }));
  }
}
