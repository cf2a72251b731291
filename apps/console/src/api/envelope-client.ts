/**
 * The console's only way to the service: the envelope dialect of the public API, with the key the user entered
 * (kept in sessionStorage, so it is gone when the browser session ends).
 */
const keyStorageName = 'visage.apiKey';

export interface ApiErrorBody {
  code: string;
  message: string;
}

/** An answer with `success: false`, or a failure to reach the service, carrying the API's own code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function storedKey(): string {
  return sessionStorage.getItem(keyStorageName) ?? '';
}

export function storeKey(key: string): void {
  if (key === '') sessionStorage.removeItem(keyStorageName);
  else sessionStorage.setItem(keyStorageName, key);
}

type Body = Blob | Record<string, unknown> | undefined;

export async function call<T>(method: string, route: string, body?: Body): Promise<T> {
  const headers: Record<string, string> = {};
  const key = storedKey();
  if (key !== '') headers['ocp-apim-subscription-key'] = key;
  let payload: BodyInit | undefined;
  if (body instanceof Blob) {
    headers['content-type'] = 'application/octet-stream';
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(route, { method, headers, body: payload });
  } catch (error) {
    throw new ApiError(0, 'NETWORK_ERROR', `The service could not be reached: ${(error as Error).message}`);
  }
  const text = await response.text();
  let parsed: { success?: boolean; data?: T; error?: ApiErrorBody };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new ApiError(response.status, 'UNEXPECTED_ANSWER', `HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
  if (parsed.success === true) return parsed.data as T;
  const error = parsed.error ?? { code: 'UNEXPECTED_ANSWER', message: `HTTP ${response.status}` };
  throw new ApiError(response.status, error.code, error.message);
}

/** The health endpoints answer plain JSON, not the envelope. */
export async function probe<T>(route: string): Promise<{ status: number; body: T }> {
  const key = storedKey();
  const response = await fetch(route, { headers: key === '' ? {} : { 'ocp-apim-subscription-key': key } });
  return { status: response.status, body: (await response.json()) as T };
}

export function errorText(error: unknown): string {
  return error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
}
