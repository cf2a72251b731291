/** The Azure dialect's error body: {"error": {"code", "message"}} with Azure's codes. */
import type { VisageError } from '#contracts';

export function renderAzureError(error: VisageError) {
  return { error: { code: error.entry.azureCode, message: error.message } };
}
