/** Azure's routes all start with it, as the official clients build their URLs. */
const azurePrefix = 'face';

/** The API versions the official clients put in the path (spec §1); every one serves the same routes. */
const azureApiVersions = ['v1.0', 'v1.1-preview.1', 'v1.2-preview.1', 'v1.2'] as const;

/**
 * A route's controller paths under every version, e.g. face/v1.2/largepersongroups. Listing them, rather than
 * a :apiVersion parameter, leaves an unknown version unrouted: a 404 NotFound in Azure shape.
 */
export function azurePaths(route: string): string[] {
  return azureApiVersions.map((version) => `${azurePrefix}/${version}/${route}`);
}

/** Whether a request path is under the Azure routes' prefix, routed or not. */
export function isAzurePath(path: string): boolean {
  return path.toLowerCase().startsWith(`/${azurePrefix}/`);
}
