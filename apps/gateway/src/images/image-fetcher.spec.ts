/** The URL download rules (SSRF refusals, redirects, size cap, deadline), against servers on 127.0.0.1 only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { VisageError } from '#contracts';
import { ImageFetcher, type ImageFetchPolicy, isReservedAddress, parseAllowList } from './image-fetcher';

const image = Buffer.alloc(1500, 7);
const policy = (overrides: Partial<ImageFetchPolicy> = {}): ImageFetchPolicy => ({
  timeoutMs: 2000,
  maxRedirects: 3,
  maxBytes: 1_000_000,
  allow: [],
  ...overrides,
});
const loopback = policy({ allow: ['127.0.0.1/32'] });

/** Runs `body` against a server on 127.0.0.1 and always closes it; `hits` counts requests that reached it. */
async function withServer(
  handler: http.RequestListener,
  body: (base: string, hits: () => number) => Promise<void>,
): Promise<void> {
  let count = 0;
  const server = http.createServer((request, response) => {
    count++;
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, () => count);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const sendImage: http.RequestListener = (_request, response) => response.end(image);

async function refusal(promise: Promise<unknown>, key: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof VisageError, `expected a VisageError, got ${String(error)}`);
    assert.equal(error.key, key);
    if (message) assert.match(error.message, message);
    return true;
  });
}

test('loopback addresses are refused without an allow list, before any request', async () => {
  await withServer(sendImage, async (base, hits) => {
    const port = new URL(base).port;
    const fetcher = new ImageFetcher(policy());
    await refusal(fetcher.fetch(`${base}/a.jpg`), 'INVALID_URL', /private or reserved address \(127\.0\.0\.1\)/);
    for (const host of ['0.0.0.0', '[::1]', '[::ffff:127.0.0.1]', '2130706433', '0x7f.1']) {
      await refusal(fetcher.fetch(`http://${host}:${port}/`), 'INVALID_URL', /private or reserved/);
    }
    assert.equal(hits(), 0);
  });
});

/** Ranges that reach an internal IPv4 address through a translator or tunnel, or that are documentation only. */
const reservedRanges: { name: string; range: string; hosts: string[] }[] = [
  { name: 'NAT64 well-known prefix', range: '64:ff9b::/96', hosts: ['[64:ff9b::7f00:1]', '[64:ff9b::a00:1]'] },
  { name: 'NAT64 local-use prefix', range: '64:ff9b:1::/48', hosts: ['[64:ff9b:1::7f00:1]', '[64:ff9b:1:ffff::1]'] },
  { name: '6to4', range: '2002::/16', hosts: ['[2002:7f00:1::1]', '[2002:a9fe:a9fe::]'] },
  { name: 'Teredo', range: '2001::/32', hosts: ['[2001:0:4136:e378:8000:63bf:3fff:fdd2]', '[2001::1]'] },
  { name: 'IPv4-compatible IPv6', range: '::/96', hosts: ['[::7f00:1]', '[::127.0.0.1]', '[::a9fe:a9fe]'] },
  { name: 'TEST-NET-1', range: '192.0.2.0/24', hosts: ['192.0.2.1', '[::ffff:192.0.2.1]'] },
  { name: 'TEST-NET-2', range: '198.51.100.0/24', hosts: ['198.51.100.7'] },
  { name: 'TEST-NET-3', range: '203.0.113.0/24', hosts: ['203.0.113.255'] },
  { name: 'IPv6 documentation', range: '2001:db8::/32', hosts: ['[2001:db8::1]'] },
];

for (const { name, range, hosts } of reservedRanges) {
  test(`${name} (${range}) is refused before any request, unless URL_FETCH_ALLOW lists it`, async () => {
    const fetcher = new ImageFetcher(policy());
    for (const host of hosts) {
      await refusal(fetcher.fetch(`http://${host}/a.jpg`), 'INVALID_URL', /private or reserved address/);
    }
    // Allowed, the address is tried (and cannot be reached here): the refusal above came from the range.
    const allowed = new ImageFetcher(policy({ allow: [range], timeoutMs: 300 }));
    await assert.rejects(allowed.fetch(`http://${hosts[0]}/a.jpg`), (error: unknown) => {
      assert.ok(error instanceof VisageError && error.key === 'INVALID_URL', String(error));
      assert.doesNotMatch(error.message, /private or reserved/);
      return true;
    });
  });
}

test('public addresses next to the reserved ranges are not reserved', () => {
  for (const address of [
    '203.0.114.1',
    '198.51.101.1',
    '192.0.3.1',
    '2001:1::1',
    '2003::1',
    '64:ff9c::1',
    '::1:0:0:1',
  ]) {
    assert.equal(isReservedAddress(address), false, address);
  }
  for (const address of ['64:ff9b::808:808', '::8.8.8.8', '2002:808:808::', '2001:0:808:808::']) {
    assert.equal(isReservedAddress(address), true, `${address} wraps an IPv4 address`);
  }
});

test('an allow-listed range is downloaded', async () => {
  await withServer(sendImage, async (base) => {
    assert.deepEqual(await new ImageFetcher(loopback).fetch(`${base}/a.jpg`), image);
  });
});

test('up to maxRedirects redirects are followed, one more is refused', async () => {
  await withServer(
    (request, response) => {
      const hop = Number(request.url?.slice(1));
      if (hop > 0) response.writeHead(302, { location: `/${hop - 1}` }).end();
      else response.end(image);
    },
    async (base) => {
      const fetcher = new ImageFetcher(loopback);
      assert.deepEqual(await fetcher.fetch(`${base}/3`), image);
      await refusal(fetcher.fetch(`${base}/4`), 'INVALID_URL', /Too many redirects/);
    },
  );
});

test('a redirect to the cloud metadata address is refused before connecting', async () => {
  await withServer(
    (_request, response) => response.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    async (base) => {
      await refusal(new ImageFetcher(loopback).fetch(`${base}/a.jpg`), 'INVALID_URL', /169\.254\.169\.254/);
    },
  );
});

test('a body over maxBytes is refused, with and without Content-Length', async () => {
  let writes = 0;
  await withServer(
    (request, response) => {
      if (request.url === '/declared') return void response.end(Buffer.alloc(2000));
      // Chunked and endless: the fetcher must stop at the cap, not wait for the end.
      const timer = setInterval(() => (writes++, response.write(Buffer.alloc(400))), 5);
      response.on('close', () => clearInterval(timer));
    },
    async (base) => {
      const fetcher = new ImageFetcher({ ...loopback, maxBytes: 1000 });
      await refusal(fetcher.fetch(`${base}/declared`), 'IMAGE_TOO_LARGE');
      await refusal(fetcher.fetch(`${base}/chunked`), 'IMAGE_TOO_LARGE');
      assert.ok(writes < 20, `the server kept writing ${writes} chunks`);
    },
  );
  await withServer(
    (_request, response) => response.end(Buffer.alloc(1000)),
    async (base) => {
      assert.equal((await new ImageFetcher({ ...loopback, maxBytes: 1000 }).fetch(base)).length, 1000);
    },
  );
});

test('a non-2xx answer is INVALID_URL naming the status', async () => {
  await withServer(
    (_request, response) => response.writeHead(404).end('not here'),
    async (base) => {
      await refusal(new ImageFetcher(loopback).fetch(`${base}/missing.jpg`), 'INVALID_URL', /HTTP 404/);
    },
  );
});

test('only http(s) URLs without credentials are accepted', async () => {
  const fetcher = new ImageFetcher(policy());
  await refusal(fetcher.fetch('ftp://127.0.0.1/a.jpg'), 'INVALID_URL', /scheme "ftp:"/);
  await refusal(fetcher.fetch('file:///etc/passwd'), 'INVALID_URL', /scheme "file:"/);
  await refusal(fetcher.fetch('not a url'), 'INVALID_URL', /not a valid/);
  await refusal(fetcher.fetch('http://user:secret@example.com/a.jpg'), 'INVALID_URL', /credentials/);
});

test('a host name resolving to loopback is refused', async () => {
  await withServer(sendImage, async (base, hits) => {
    const url = `http://localhost:${new URL(base).port}/a.jpg`;
    await refusal(new ImageFetcher(policy()).fetch(url), 'INVALID_URL', /"localhost" resolves to a private/);
    assert.equal(hits(), 0);
  });
});

test('a server that never answers times out', async () => {
  await withServer(
    () => undefined,
    async (base) => {
      const started = Date.now();
      await refusal(new ImageFetcher({ ...loopback, timeoutMs: 300 }).fetch(base), 'INVALID_URL', /timed out/);
      assert.ok(Date.now() - started < 1500);
    },
  );
});

test('parseAllowList trims, accepts hosts and CIDR ranges, and names a bad entry', () => {
  assert.deepEqual(parseAllowList(undefined), []);
  assert.deepEqual(parseAllowList(' 127.0.0.1/32, localhost ,10.0.0.0/8,::1,fd00::/8,'), [
    '127.0.0.1/32',
    'localhost',
    '10.0.0.0/8',
    '::1',
    'fd00::/8',
  ]);
  for (const bad of ['bogus/99', '10.0.0.0/33', 'fd00::/129', 'a b', '10.0.0.0/8/1']) {
    assert.throws(
      () => parseAllowList(`localhost,${bad}`),
      (error: Error) => error.message.includes(`"${bad}"`),
    );
  }
  assert.throws(() => new ImageFetcher(policy({ allow: ['bogus/99'] })), /bogus\/99/);
});
