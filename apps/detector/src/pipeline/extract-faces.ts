/**
 * One upload in, the faces that count out: the whole detector behaviour behind `detector.extract`, run inside
 * one worker thread with its models already loaded. Bad input leaves only as a catalogue error.
 */
import {
  type ExtractedFace,
  type ExtractReply,
  type ExtractRequest,
  type FaceRectangle,
  type Point,
  VisageError,
} from '#contracts';
import { DetectionModelSpecs, RecognitionModelSpecs } from '../models/model-registry';
import { decodeImage, type DecodedImage } from './decode-image';
import { measureAttributes } from './face-attributes';
import { describeFace } from './face-description';
import { detectFaces, type FaceBox } from './face-detection';
import { type CandidateFace, checkTargetFace, oneFaceToEnrol, selectFaces } from './face-selection';
import { imageTensor } from './image-tensor';

interface Candidate extends CandidateFace {
  box: FaceBox;
}

export interface ExtractionLimits {
  /** Memory that decoding one upload may take; omitted, only the pixel limit applies. */
  decodeMemoryBudgetBytes?: number;
}

export async function extractFaces(request: ExtractRequest, limits: ExtractionLimits = {}): Promise<ExtractReply> {
  const detection = DetectionModelSpecs[request.detectionModel];
  const recognition = RecognitionModelSpecs[request.recognitionModel];
  if (!detection || !recognition) {
    throw new VisageError('VALIDATION_ERROR', 'Unknown detection or recognition model.');
  }
  const image = await decodeImage(request.image, limits.decodeMemoryBudgetBytes);
  if (request.purpose === 'enrol' && request.targetFace) {
    checkTargetFace(request.targetFace, image);
  }
  const picture = { pixels: image.pixels, width: image.workingWidth, height: image.workingHeight };
  const tensor = imageTensor(picture.pixels, picture.width, picture.height);
  try {
    const boxes = await detectFaces(tensor, detection);
    const candidates = boxes.map((box): Candidate => ({
      box,
      score: box.score,
      rectangle: toUploadRectangle(box, image),
    }));
    const faces: ExtractedFace[] = [];
    for (const face of selectFaces(candidates, image, request)) {
      const { landmarks, embedding, sharpness, chip } = await describeFace(
        picture,
        tensor,
        face.box,
        detection,
        recognition,
      );
      const withLandmarks = request.returnLandmarks && detection.returnsLandmarks;
      const attributes = request.attributes?.length
        ? measureAttributes(request.attributes, picture, {
            landmarks,
            chip,
            chipSize: recognition.inputSize,
            sharpness,
            region: face.box.region,
          })
        : undefined;
      faces.push({
        rectangle: face.rectangle,
        score: face.score,
        sharpness,
        ...(withLandmarks ? { landmarks: landmarks.map((point) => toUploadPoint(point, image)) } : {}),
        ...(attributes ? { attributes } : {}),
        embedding,
      });
    }
    const kept = request.purpose === 'enrol' ? [oneFaceToEnrol(faces, request)] : faces;
    return { image: { width: image.width, height: image.height, format: image.format }, faces: kept };
  } finally {
    tensor.dispose();
  }
}

function toUploadRectangle({ region }: FaceBox, image: DecodedImage): FaceRectangle {
  const scaleX = image.width / image.workingWidth;
  const scaleY = image.height / image.workingHeight;
  const left = clamp(Math.round(region.x * scaleX), 0, image.width);
  const top = clamp(Math.round(region.y * scaleY), 0, image.height);
  const right = clamp(Math.round((region.x + region.width) * scaleX), left, image.width);
  const bottom = clamp(Math.round((region.y + region.height) * scaleY), top, image.height);
  return { left, top, width: right - left, height: bottom - top };
}

/** Landmarks in upload pixels, to a tenth of a pixel (finer is noise). */
function toUploadPoint(point: Point, image: DecodedImage): Point {
  const tenths = (value: number): number => Math.round(value * 10) / 10;
  return {
    x: tenths((point.x * image.width) / image.workingWidth),
    y: tenths((point.y * image.height) / image.workingHeight),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
