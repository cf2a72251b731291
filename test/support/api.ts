/** A small HTTP client for the envelope dialect, as a caller would use it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { facesDir } from './stack';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: { success: boolean; data?: T; error?: { code: string; message: string } };
}

export class EnvelopeApi {
  constructor(private readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await sendRequest(this.baseUrl, method, route, body, headers);
    const text = await response.text();
    let parsed: ApiResponse<T>['body'];
    try {
      parsed = JSON.parse(text) as ApiResponse<T>['body'];
    } catch {
      throw new Error(`Non-JSON ${response.status} from ${method} ${route}: ${text.slice(0, 200)}`);
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  createGroup(groupId: string, body: Record<string, unknown> = { name: groupId }) {
    return this.call('PUT', `/largepersongroups/${groupId}`, body);
  }

  async createPerson(groupId: string, name: string): Promise<string> {
    const response = await this.call<{ id: string }>('POST', `/largepersongroups/${groupId}/persons`, { name });
    if (response.status !== 200) throw new Error(`create person: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.data!.id;
  }

  addFace(groupId: string, personId: string, image: Buffer, query = '', headers: Record<string, string> = {}) {
    return this.call<{ id: string; created_at: string }>(
      'POST',
      `/largepersongroups/${groupId}/persons/${personId}/persistedfaces${query}`,
      image,
      headers,
    );
  }
}

/** One request as a caller sends it: bytes as application/octet-stream, anything else as JSON. */
export function sendRequest(
  baseUrl: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const isBytes = Buffer.isBuffer(body);
  return fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': isBytes ? 'application/octet-stream' : 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : isBytes ? (body as Buffer) : JSON.stringify(body),
  });
}

export function face(file: string): Buffer {
  return readFileSync(path.join(facesDir, file));
}

export function edge(file: string): Buffer {
  return readFileSync(path.join(facesDir, 'edge', file));
}

export interface ManifestPhoto {
  file: string;
  identity: string;
}

export function manifest(): ManifestPhoto[] {
  return JSON.parse(readFileSync(path.join(facesDir, 'manifest.json'), 'utf8')) as ManifestPhoto[];
}

export interface EdgeCase {
  file: string;
  expect: string;
  faces: number | null;
}

export function edgeManifest(): EdgeCase[] {
  return JSON.parse(readFileSync(path.join(facesDir, 'edge', 'manifest.json'), 'utf8')) as EdgeCase[];
}
