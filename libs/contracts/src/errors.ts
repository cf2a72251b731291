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
    'Invalid largePersonGroupId: 1-64 characters of a-z, 0-9, "-" and "_".',
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
  FACE_LIST_NOT_FOUND: entry('FACE_LIST_NOT_FOUND', 'FaceListNotFound', 404, 'Face list is not found.'),
  LARGE_FACE_LIST_NOT_FOUND: entry(
    'LARGE_FACE_LIST_NOT_FOUND',
    'LargeFaceListNotFound',
    404,
    'Large face list is not found.',
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
