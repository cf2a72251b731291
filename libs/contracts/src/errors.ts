/**
 * The one error catalogue. Every failure a caller can see is one entry here; the envelope and Azure dialects
 * only render an entry differently (envelope `code`, Azure `code`, same HTTP status).
 */
export interface ErrorEntry {
  /** Envelope dialect code (UPPER_SNAKE). */
  readonly code: string;
  /** Azure Face error code (spec §7). */
  readonly azureCode: string;
  readonly status: number;
  /** Default message; a thrower may give a more precise one. */
  readonly message: string;
  /** Whether the caller may retry the same request unchanged. */
  readonly retryable?: boolean;
}

function entry(code: string, azureCode: string, status: number, message: string, retryable = false): ErrorEntry {
  return { code, azureCode, status, message, retryable };
}

export const ErrorCatalogue = {
  VALIDATION_ERROR: entry('VALIDATION_ERROR', 'BadArgument', 400, 'Request is invalid.'),
  INVALID_JSON: entry('INVALID_JSON', 'BadArgument', 400, 'JSON parsing error.'),
  INVALID_GROUP_ID: entry(
    'INVALID_GROUP_ID',
    'BadArgument',
    400,
    'Invalid group id: 1-64 characters of a-z, 0-9, "-" and "_".',
  ),
  UNSUPPORTED_MEDIA_TYPE: entry(
    'UNSUPPORTED_MEDIA_TYPE',
    'BadArgument',
    415,
    'Content-Type must be application/octet-stream (image bytes) or application/json ({"url": ...}).',
  ),
  BODY_TOO_LARGE: entry('BODY_TOO_LARGE', 'BadArgument', 413, 'Request body is too large.'),
  INVALID_URL: entry('INVALID_URL', 'InvalidURL', 400, 'Invalid image URL or error downloading from target server.'),
  INVALID_IMAGE: entry('INVALID_IMAGE', 'InvalidImage', 400, 'Decoding error, image format unsupported.'),
  IMAGE_TOO_SMALL: entry('IMAGE_TOO_SMALL', 'InvalidImageSize', 400, 'Image size is too small.'),
  IMAGE_TOO_LARGE: entry('IMAGE_TOO_LARGE', 'InvalidImageSize', 400, 'Image size is too big.'),
  IMAGE_TOO_MANY_PIXELS: entry(
    'IMAGE_TOO_MANY_PIXELS',
    'InvalidImageSize',
    400,
    'Image has too many pixels to decode.',
  ),
  NO_FACE_DETECTED: entry('NO_FACE_DETECTED', 'InvalidImage', 400, 'No face detected in the image.'),
  MULTIPLE_FACES: entry('MULTIPLE_FACES', 'InvalidImage', 400, 'There is more than 1 face in the image.'),
  FACE_QUALITY_TOO_LOW: entry(
    'FACE_QUALITY_TOO_LOW',
    'InvalidImage',
    400,
    "The face's quality for recognition is below the enrolment minimum.",
  ),
  INVALID_FACE_ATTRIBUTE: entry(
    'INVALID_FACE_ATTRIBUTE',
    'BadArgument',
    400,
    'Invalid argument returnFaceAttributes: not a face attribute name.',
  ),
  FACE_ATTRIBUTE_NOT_AVAILABLE: entry(
    'FACE_ATTRIBUTE_NOT_AVAILABLE',
    'UnsupportedFeature',
    403,
    'Feature is not supported: the face attribute needs a model this service does not have.',
  ),
  FACE_ATTRIBUTE_NOT_SUPPORTED_BY_MODEL: entry(
    'FACE_ATTRIBUTE_NOT_SUPPORTED_BY_MODEL',
    'BadArgument',
    400,
    'The face attribute is not supported by this detection model.',
  ),
  TARGET_FACE_NO_FACE: entry('TARGET_FACE_NO_FACE', 'InvalidImage', 400, 'No face detected in the targetFace.'),
  TARGET_FACE_MULTIPLE_FACES: entry(
    'TARGET_FACE_MULTIPLE_FACES',
    'InvalidImage',
    400,
    'There is more than 1 face in the targetFace.',
  ),
  TARGET_FACE_OUT_OF_RANGE: entry(
    'TARGET_FACE_OUT_OF_RANGE',
    'BadArgument',
    400,
    'targetFace is out of range of the image.',
  ),
  GROUP_NOT_FOUND: entry('GROUP_NOT_FOUND', 'LargePersonGroupNotFound', 404, 'Large person group is not found.'),
  GROUP_EXISTS: entry('GROUP_EXISTS', 'LargePersonGroupExists', 409, 'Large person group already exists.'),
  PERSON_GROUP_NOT_FOUND: entry('PERSON_GROUP_NOT_FOUND', 'PersonGroupNotFound', 404, 'Person group is not found.'),
  PERSON_GROUP_EXISTS: entry('PERSON_GROUP_EXISTS', 'PersonGroupExists', 409, 'Person group already exists.'),
  PERSON_LIMIT_REACHED: entry(
    'PERSON_LIMIT_REACHED',
    'QuotaExceeded',
    403,
    'The person group has reached the limit of 10,000 persons; use a large person group for more.',
  ),
  GROUP_IDS_BOTH_GIVEN: entry(
    'GROUP_IDS_BOTH_GIVEN',
    'PersonGroupIdAndLargePersonGroupIdBothNotNull',
    400,
    'Large person group ID and person group ID are both not null.',
  ),
  GROUP_IDS_BOTH_MISSING: entry(
    'GROUP_IDS_BOTH_MISSING',
    'PersonGroupIdAndLargePersonGroupIdBothNull',
    400,
    'Large person group ID and person group ID are both null.',
  ),
  FACE_LIST_NOT_FOUND: entry('FACE_LIST_NOT_FOUND', 'FaceListNotFound', 404, 'Face list is not found.'),
  FACE_LIST_EXISTS: entry('FACE_LIST_EXISTS', 'FaceListExists', 409, 'Face list already exists.'),
  LARGE_FACE_LIST_NOT_FOUND: entry(
    'LARGE_FACE_LIST_NOT_FOUND',
    'LargeFaceListNotFound',
    404,
    'Large face list is not found.',
  ),
  LARGE_FACE_LIST_EXISTS: entry(
    'LARGE_FACE_LIST_EXISTS',
    'LargeFaceListExists',
    409,
    'Large face list already exists.',
  ),
  FACE_LIST_EMPTY: entry('FACE_LIST_EMPTY', 'FaceListNotReady', 400, 'Face list is empty.'),
  LIST_FACE_LIMIT_REACHED: entry(
    'LIST_FACE_LIMIT_REACHED',
    'QuotaExceeded',
    403,
    'Persisted face number reached limit: a face list holds 1,000 faces, a large face list 1,000,000.',
  ),
  PERSON_NOT_FOUND: entry('PERSON_NOT_FOUND', 'PersonNotFound', 404, 'Person is not found.'),
  PERSISTED_FACE_NOT_FOUND: entry(
    'PERSISTED_FACE_NOT_FOUND',
    'PersistedFaceNotFound',
    404,
    'Persisted face is not found.',
  ),
  FACE_LIMIT_REACHED: entry(
    'FACE_LIMIT_REACHED',
    'QuotaExceeded',
    403,
    'The person has reached the limit of 248 persisted faces.',
  ),
  IDEMPOTENCY_KEY_REUSED: entry(
    'IDEMPOTENCY_KEY_REUSED',
    'BadArgument',
    422,
    'This Idempotency-Key was already used for a different request.',
  ),
  GROUP_NOT_TRAINED: entry(
    'GROUP_NOT_TRAINED',
    'LargePersonGroupNotTrained',
    400,
    'Large person group has not been trained successfully. Train it, then retry.',
  ),
  TRAINING_NOT_FOUND: entry(
    'TRAINING_NOT_FOUND',
    'LargePersonGroupNotTrained',
    404,
    'Large person group has never been trained.',
  ),
  TRAINING_IN_PROGRESS: entry(
    'TRAINING_IN_PROGRESS',
    'LargePersonGroupTrainingNotFinished',
    409,
    'Large person group is under training. Retry when the training has finished.',
    true,
  ),
  PERSON_GROUP_NOT_TRAINED: entry(
    'PERSON_GROUP_NOT_TRAINED',
    'PersonGroupNotTrained',
    400,
    'Person group has not been trained successfully. Train it, then retry.',
  ),
  PERSON_GROUP_TRAINING_NOT_FOUND: entry(
    'PERSON_GROUP_TRAINING_NOT_FOUND',
    'PersonGroupNotTrained',
    404,
    'Person group has never been trained.',
  ),
  PERSON_GROUP_TRAINING_IN_PROGRESS: entry(
    'PERSON_GROUP_TRAINING_IN_PROGRESS',
    'PersonGroupTrainingNotFinished',
    409,
    'Person group is under training. Retry when the training has finished.',
    true,
  ),
  LARGE_FACE_LIST_NOT_TRAINED: entry(
    'LARGE_FACE_LIST_NOT_TRAINED',
    'LargeFaceListNotTrained',
    400,
    'Large face list has not been trained successfully. Train it, then retry.',
  ),
  LARGE_FACE_LIST_TRAINING_NOT_FOUND: entry(
    'LARGE_FACE_LIST_TRAINING_NOT_FOUND',
    'LargeFaceListNotTrained',
    404,
    'Large face list has never been trained.',
  ),
  LARGE_FACE_LIST_TRAINING_IN_PROGRESS: entry(
    'LARGE_FACE_LIST_TRAINING_IN_PROGRESS',
    'LargeFaceListTrainingNotFinished',
    409,
    'Large face list is under training. Retry when the training has finished.',
    true,
  ),
  FACE_ID_QUOTA_REACHED: entry(
    'FACE_ID_QUOTA_REACHED',
    'QuotaExceeded',
    403,
    'The limit of live faceIds is reached. Wait for faceIds to expire, or detect with a shorter faceIdTimeToLive or returnFaceId=false.',
  ),
  FACE_ID_NOT_FOUND: entry('FACE_ID_NOT_FOUND', 'FaceNotFound', 400, 'Face is not found or has expired.'),
  VERIFY_FACE_ID_NOT_FOUND: entry('VERIFY_FACE_ID_NOT_FOUND', 'FaceNotFound', 404, 'Face is not found or has expired.'),
  RECOGNITION_MODEL_MISMATCH: entry(
    'RECOGNITION_MODEL_MISMATCH',
    'BadArgument',
    400,
    "'recognitionModel' is incompatible: the faceIds and the group use different recognition models. Detect again with the group's recognitionModel.",
  ),
  UNAUTHORIZED: entry(
    'UNAUTHORIZED',
    '401',
    401,
    'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
  ),
  RATE_LIMITED: entry('RATE_LIMITED', '429', 429, 'Rate limit is exceeded.', true),
  SERVICE_UNAVAILABLE: entry(
    'SERVICE_UNAVAILABLE',
    'ServiceUnavailable',
    503,
    'A backing service is unavailable. Retry later.',
    true,
  ),
  DETECTOR_BUSY: entry(
    'DETECTOR_BUSY',
    'ServiceUnavailable',
    503,
    'Every face detector is busy and the queue of waiting images is full. Retry after the Retry-After seconds.',
    true,
  ),
  TIMEOUT: entry('TIMEOUT', 'OperationTimeout', 504, 'The operation did not finish in time. Retry later.', true),
  WRITE_FAILED: entry(
    'WRITE_FAILED',
    'InternalServerError',
    500,
    'The write could not be applied after repeated attempts; nothing was stored.',
  ),
  ROUTE_NOT_FOUND: entry('ROUTE_NOT_FOUND', 'NotFound', 404, 'Resource not found.'),
  INTERNAL_ERROR: entry('INTERNAL_ERROR', 'InternalServerError', 500, 'Internal error.'),
} as const satisfies Record<string, ErrorEntry>;

export type ErrorKey = keyof typeof ErrorCatalogue;

/** A catalogue error, thrown once where the failure is found and rendered once per dialect. */
export class VisageError extends Error {
  readonly entry: ErrorEntry;
  /** For retryable errors: when the thrower knows how long a retry should wait (sent as `Retry-After`). */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly key: ErrorKey,
    message?: string,
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(message ?? ErrorCatalogue[key].message);
    this.name = 'VisageError';
    this.entry = ErrorCatalogue[key];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toWire(): WireError {
    return { key: this.key, message: this.message };
  }

  static fromWire(wire: WireError): VisageError {
    // Own keys only: `in` would also take inherited names such as `constructor` for catalogue entries.
    const key: ErrorKey = Object.hasOwn(ErrorCatalogue, wire.key) ? wire.key : 'INTERNAL_ERROR';
    return new VisageError(key, wire.message);
  }
}

/** How an error travels inside an RPC reply. */
export interface WireError {
  key: ErrorKey;
  message: string;
}

export function isVisageError(value: unknown): value is VisageError {
  return value instanceof VisageError;
}
