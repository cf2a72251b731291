/** Model names as the API spells them. What each maps to is the detector's model registry. */
export const DetectionModels = ['detection_01', 'detection_02', 'detection_03'] as const;
export type DetectionModel = (typeof DetectionModels)[number];

export const RecognitionModels = ['recognition_01', 'recognition_02', 'recognition_03', 'recognition_04'] as const;
export type RecognitionModel = (typeof RecognitionModels)[number];

export const defaultDetectionModel: DetectionModel = 'detection_01';
export const defaultRecognitionModel: RecognitionModel = 'recognition_01';

export function isDetectionModel(value: string): value is DetectionModel {
  return (DetectionModels as readonly string[]).includes(value);
}

export function isRecognitionModel(value: string): value is RecognitionModel {
  return (RecognitionModels as readonly string[]).includes(value);
}
