/**
 * Which of Azure's face attributes detect answers, and how. Visage computes the ones that need no model of their
 * own (head pose from landmarks; blur, exposure and noise from the face's pixels, in the detector) and
 * qualityForRecognition; an attribute that needs a model Visage does not have is refused by name rather than
 * faked. Levels follow Azure's boundaries (swagger BlurProperties, ExposureProperties, NoiseProperties).
 */
import {
  VisageError,
  type DetectionModel,
  type ExtractedFace,
  type HeadPose,
  type MeasuredAttributeName,
  MeasuredAttributeNames,
} from '#contracts';
import { qualityForRecognition, type QualityForRecognition } from './face-quality';

export const ComputedAttributes = [...MeasuredAttributeNames, 'qualityForRecognition'] as const;
export type ComputedAttribute = (typeof ComputedAttributes)[number];

/** Azure attributes that need a classifier Visage does not have (Azure limits age, smile, facialHair, hair and makeup). */
export const UnavailableAttributes = [
  'glasses',
  'occlusion',
  'accessories',
  'mask',
  'age',
  'smile',
  'facialHair',
  'hair',
  'makeup',
] as const;

/** Retired by Azure: no longer attribute names there, so refused like any unknown name. */
const retiredAttributes = ['emotion', 'gender'];

/** Azure: detection_02 returns no attributes; detection_03 only headPose, blur, mask and qualityForRecognition. */
export const AttributesByDetectionModel: Readonly<Record<DetectionModel, readonly ComputedAttribute[]>> = {
  detection_01: ComputedAttributes,
  detection_02: [],
  detection_03: ['headPose', 'blur', 'qualityForRecognition'],
};

const canonical = new Map<string, string>(
  [...ComputedAttributes, ...UnavailableAttributes].map((name) => [name.toLowerCase(), name]),
);

/**
 * The attributes a detect request asks for (comma-separated, any case as in Azure), each once, in the order
 * asked. Unknown or retired names, names needing a model Visage lacks, and names the detection model does not
 * support are refused, each error naming them.
 */
export function parseFaceAttributes(list: string | undefined, detectionModel: DetectionModel): ComputedAttribute[] {
  const asked = [
    ...new Set(
      (list ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name.length > 0),
    ),
  ];
  const unknown = asked.filter((name) => !canonical.has(name.toLowerCase()));
  if (unknown.length > 0) {
    const retired = unknown.filter((name) => retiredAttributes.includes(name.toLowerCase()));
    throw new VisageError(
      'INVALID_FACE_ATTRIBUTE',
      `Invalid argument returnFaceAttributes: ${quoted(unknown)} ${unknown.length > 1 ? 'are' : 'is'} not a face attribute` +
        `${retired.length > 0 ? ` (${quoted(retired)} retired by Azure)` : ''}. Supported values are: ${ComputedAttributes.join(', ')}.`,
    );
  }
  const names = [...new Set(asked.map((name) => canonical.get(name.toLowerCase())!))];
  const unavailable = names.filter((name) => (UnavailableAttributes as readonly string[]).includes(name));
  if (unavailable.length > 0) {
    throw new VisageError(
      'FACE_ATTRIBUTE_NOT_AVAILABLE',
      `Feature is not supported: face attribute ${quoted(unavailable)} needs a model this service does not have. ` +
        `Available: ${ComputedAttributes.join(', ')}.`,
    );
  }
  const computed = names as ComputedAttribute[];
  const supported = AttributesByDetectionModel[detectionModel];
  const unsupported = computed.filter((name) => !supported.includes(name));
  if (unsupported.length > 0) {
    throw new VisageError(
      'FACE_ATTRIBUTE_NOT_SUPPORTED_BY_MODEL',
      supported.length === 0
        ? `'returnFaceAttributes' is not supported by ${detectionModel}.`
        : `Only face attributes '${supported.join(',')}' are supported by ${detectionModel}; ${quoted(unsupported)} ` +
            `${unsupported.length > 1 ? 'are' : 'is'} not. Use detection_01 for them.`,
    );
  }
  return computed;
}

/** The attributes the detector measures, for the extraction request. */
export function measuredAttributesOf(attributes: readonly ComputedAttribute[]): MeasuredAttributeName[] {
  return attributes.filter((name): name is MeasuredAttributeName => name !== 'qualityForRecognition');
}

export type BlurLevel = 'low' | 'medium' | 'high';
export type ExposureLevel = 'underExposure' | 'goodExposure' | 'overExposure';
export type NoiseLevel = 'low' | 'medium' | 'high';

/** Azure's FaceAttributes shape, holding only what was asked for. */
export interface FaceAttributesView {
  headPose?: HeadPose;
  blur?: { blurLevel: BlurLevel; value: number };
  exposure?: { exposureLevel: ExposureLevel; value: number };
  noise?: { noiseLevel: NoiseLevel; value: number };
  qualityForRecognition?: QualityForRecognition;
}

export function faceAttributesOf(face: ExtractedFace, attributes: readonly ComputedAttribute[]): FaceAttributesView {
  const measured = face.attributes ?? {};
  const view: FaceAttributesView = {};
  for (const name of attributes) {
    if (name === 'qualityForRecognition') view.qualityForRecognition = qualityForRecognition(face);
    else if (name === 'headPose' && measured.headPose) view.headPose = measured.headPose;
    else if (name === 'blur' && measured.blur !== undefined) {
      view.blur = { blurLevel: blurLevel(measured.blur), value: measured.blur };
    } else if (name === 'exposure' && measured.exposure !== undefined) {
      view.exposure = { exposureLevel: exposureLevel(measured.exposure), value: measured.exposure };
    } else if (name === 'noise' && measured.noise !== undefined) {
      view.noise = { noiseLevel: noiseLevel(measured.noise), value: measured.noise };
    }
  }
  return view;
}

/** [0, 0.25) low, [0.25, 0.75) medium, [0.75, 1] high. */
export function blurLevel(value: number): BlurLevel {
  return value < 0.25 ? 'low' : value < 0.75 ? 'medium' : 'high';
}

/** [0, 0.25) under, [0.25, 0.75) good, [0.75, 1] over. */
export function exposureLevel(value: number): ExposureLevel {
  return value < 0.25 ? 'underExposure' : value < 0.75 ? 'goodExposure' : 'overExposure';
}

/** [0, 0.3) low, [0.3, 0.7) medium, [0.7, 1] high. */
export function noiseLevel(value: number): NoiseLevel {
  return value < 0.3 ? 'low' : value < 0.7 ? 'medium' : 'high';
}

function quoted(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}
