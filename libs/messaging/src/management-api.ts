/** Requests to the RabbitMQ management API, for what AMQP cannot do: read bindings, set policies. */

export async function managementRequest(
  managementUrl: string,
  path: string,
  what: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Response> {
  const url = new URL(managementUrl);
  const auth = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString(
    'base64',
  );
  url.username = '';
  url.password = '';
  const endpoint = new URL(path, url.href.endsWith('/') ? url.href : `${url.href}/`);
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: init.method ?? 'GET',
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    throw new Error(
      `Cannot reach the RabbitMQ management API at ${url.origin} to ${what} ` +
        `(${(error as Error).message}); enable the rabbitmq_management plugin or set RABBITMQ_MANAGEMENT_URL.`,
    );
  }
  if (!response.ok) {
    throw new Error(`RabbitMQ management API at ${url.origin} answered ${response.status} to ${what}.`);
  }
  return response;
}
