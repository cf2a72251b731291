/**
 * The console in a real browser (Debian's chromium, driven by playwright-core) against the real stack: enrol three
 * people by uploading their photos, train, identify a held-back photo of each in one picture, see a refused file's
 * error, move the threshold, read the status; then the same page on a service with API keys. Screenshots are
 * taken on the way: into docs/console (for docs/console.md) with UPDATE_CONSOLE_SCREENSHOTS=1, else a temporary
 * folder, so a test run leaves the working tree as it was.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { edge, EnvelopeApi, face, manifest } from './support/api';
import { repoRoot, Stack } from './support/stack';

const screenshots = process.env.UPDATE_CONSOLE_SCREENSHOTS
  ? path.join(repoRoot, 'docs', 'console')
  : path.join(tmpdir(), `visage-console-screenshots-${process.pid}`);

after(() => {
  if (!process.env.UPDATE_CONSOLE_SCREENSHOTS) rmSync(screenshots, { recursive: true, force: true });
});
const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };
const deadline = 120_000;

interface Browser {
  context: BrowserContext;
  page: Page;
  /** Page errors and CSP violations seen so far: a working page has none. */
  problems: string[];
  close(): Promise<void>;
}

/** Debian's chromium (browser downloads do not work here) with a fresh profile that is removed afterwards. */
async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'visage-console-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: desktop,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(deadline);
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function titleCase(identity: string): string {
  return identity
    .split('_')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage });
}

describe('a keyless service on loopback', () => {
  let stack: Stack;
  let browser: Browser;
  const photos = manifest();
  const people = ['colin_powell', 'hugo_chavez', 'condoleezza_rice'].map((identity) => {
    const files = photos.filter((p) => p.identity === identity).map((p) => p.file);
    return { identity, name: titleCase(identity), enrolled: files.slice(0, -1), heldBack: files[files.length - 1]! };
  });

  before(async () => {
    stack = await Stack.start();
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('the page is served with a strict content security policy and nothing from elsewhere', async () => {
    const response = await fetch(`${stack.baseUrl}/console`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'self'(;|$)/);
    const html = await response.text();
    assert.doesNotMatch(html, /https?:\/\//, 'the page names no other origin');
    const missing = await fetch(`${stack.baseUrl}/console/assets/nothing.js`);
    assert.equal(missing.status, 404);
  });

  test('enrol three people by file upload, with the API error of a refused file, and train', async () => {
    const { page } = browser;
    await page.goto(`${stack.baseUrl}/console/#groups`);
    await page.getByLabel('Id', { exact: true }).fill('console-demo');
    await page.getByLabel('Name', { exact: true }).fill('Console demo');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('button', { name: 'Open Console demo' }).click();

    for (const person of people) {
      await page.getByLabel("New person's name").fill(person.name);
      await page.getByRole('button', { name: 'Add person' }).click();
      await page.getByRole('button', { name: `Enrol photos of ${person.name}` }).click();
      await page
        .getByLabel(`Photos of ${person.name}`, { exact: true })
        .setInputFiles(person.enrolled.map((file) => ({ name: file, mimeType: 'image/jpeg', buffer: face(file) })));
      const progress = page.getByRole('list', { name: `Progress: Photos of ${person.name}` });
      for (const file of person.enrolled) {
        await progress
          .locator('li', { hasText: file })
          .locator('.state', { hasText: /^enrolled$/ })
          .waitFor();
      }
      await page
        .locator(`[data-person="${person.name}"] .faces`, { hasText: `${person.enrolled.length} faces` })
        .waitFor();
    }

    // A photo of a dog: the API refuses it, and the page shows the API's own code and message.
    const direct = new EnvelopeApi(stack.baseUrl);
    await direct.createGroup('scratch');
    const scratchPerson = await direct.createPerson('scratch', 'nobody');
    const refused = await direct.addFace('scratch', scratchPerson, edge('no_face_dog.jpg'));
    assert.equal(refused.status, 400);
    const expected = `${refused.body.error!.code}: ${refused.body.error!.message}`;
    const first = people[0]!;
    await page
      .getByLabel(`Photos of ${first.name}`, { exact: true })
      .setInputFiles({ name: 'no_face_dog.jpg', mimeType: 'image/jpeg', buffer: edge('no_face_dog.jpg') });
    const row = page
      .getByRole('list', { name: `Progress: Photos of ${first.name}` })
      .locator('li', { hasText: 'no_face_dog.jpg' });
    await row.locator('.state', { hasText: 'refused' }).waitFor();
    assert.equal(await row.locator('.state').textContent(), `refused: ${expected}`);

    await page.getByRole('button', { name: 'Train' }).click();
    await page.getByRole('status').filter({ hasText: 'Training: succeeded' }).waitFor();
    await shoot(page, 'groups');
  });

  test('a picture of the three held-back photos shows each right name on its own box', async () => {
    const { page } = browser;
    // The held-back photos in a 2x2 grid: person i in cell i, left to right, top to bottom.
    const picture = await sharp({ create: { width: 500, height: 500, channels: 3, background: '#ffffff' } })
      .composite(
        people.map((person, index) => ({
          input: face(person.heldBack),
          left: (index % 2) * 250,
          top: Math.floor(index / 2) * 250,
        })),
      )
      .jpeg({ quality: 92 })
      .toBuffer();
    await page.getByRole('link', { name: 'Try it' }).click();
    await page.getByLabel('Identify against').selectOption('largepersongroups/console-demo');
    await page
      .getByLabel('Photo to identify')
      .setInputFiles({ name: 'three-people.jpg', mimeType: 'image/jpeg', buffer: picture });
    const boxes = page.locator('#try-heading ~ figure [data-face]');
    await page.locator('#try-heading ~ figure [data-face].known').nth(2).waitFor();
    assert.equal(await boxes.count(), 3);
    const photo = (await page.locator('#try-heading ~ figure img').boundingBox())!;
    for (let index = 0; index < 3; index++) {
      const box = (await boxes.nth(index).boundingBox())!;
      const column = Math.floor(((box.x + box.width / 2 - photo.x) / photo.width) * 2);
      const row = Math.floor(((box.y + box.height / 2 - photo.y) / photo.height) * 2);
      const person = people[row * 2 + column]!;
      const label = (await boxes.nth(index).getAttribute('aria-label')) ?? '';
      assert.match(
        label,
        new RegExp(`: ${person.name} [01]\\.\\d{3}, quality `),
        `the box in cell ${row * 2 + column}`,
      );
    }
    await shoot(page, 'try-it', true);
    await page.setViewportSize(phone);
    await shoot(page, 'try-it-phone', true);
    await page.setViewportSize(desktop);
  });

  test('a stricter threshold turns the same boxes into strangers, and the default brings the names back', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Threshold' }).click();
    await page.getByLabel('Identify threshold', { exact: true }).fill('1');
    await page.getByRole('status').filter({ hasText: 'Threshold 1.000' }).waitFor();
    await page.getByRole('link', { name: 'Try it' }).click();
    await page.locator('#try-heading ~ figure [data-face].unknown').nth(2).waitFor();
    assert.equal(await page.locator('#try-heading ~ figure [data-face].known').count(), 0);

    await page.getByRole('link', { name: 'Threshold' }).click();
    await page.getByRole('button', { name: 'Use the default' }).click();
    await page.getByRole('status').filter({ hasText: '(the default of recognition_01)' }).first().waitFor();
    await shoot(page, 'threshold', true);
    await page.getByRole('link', { name: 'Try it' }).click();
    await page.locator('#try-heading ~ figure [data-face].known').nth(2).waitFor();
  });

  test('a photo of several people is enrolled with the face the user clicks, sent as targetFace', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Groups and people' }).click();
    await page.getByLabel("New person's name").fill('Someone in a crowd');
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.getByRole('button', { name: 'Enrol photos of Someone in a crowd' }).click();
    await page
      .getByLabel('Photos of Someone in a crowd', { exact: true })
      .setInputFiles({ name: 'multiple_faces_2.jpg', mimeType: 'image/jpeg', buffer: edge('multiple_faces_2.jpg') });
    await page.getByRole('button', { name: 'Choose the face to enrol' }).click();
    await page.getByRole('button', { name: 'Face 2: enrol this face' }).click();
    const row = page.locator('[data-person="Someone in a crowd"] li', { hasText: 'multiple_faces_2.jpg' });
    await row.locator('.state', { hasText: /^enrolled$/ }).waitFor();
    await page.locator('[data-person="Someone in a crowd"] .faces', { hasText: '1 face' }).waitFor();
  });

  test('every control has a label', async () => {
    const unlabelled = await browser.page.evaluate(`[...document.querySelectorAll('input, select, button')]
      .filter((e) => e.labels?.length === 0 && !e.getAttribute('aria-label') && e.textContent.trim() === '')
      .map((e) => e.outerHTML)`);
    assert.deepEqual(unlabelled, []);
  });

  test('status says the service is ready', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Status' }).click();
    await page.locator('[data-ready="ready"]').waitFor();
    await shoot(page, 'status');
    assert.deepEqual(browser.problems, []);
  });
});

describe('a service with API keys', () => {
  const key = 'console-test-key-0123456789';
  let stack: Stack;
  let browser: Browser;

  before(async () => {
    stack = await Stack.start({ env: { API_KEYS: key } });
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('without a key the page shows the API refusing; with one it works, for this tab only', async () => {
    const { page, context } = browser;
    await page.goto(`${stack.baseUrl}/console/#groups`);
    await page.getByRole('alert').filter({ hasText: 'UNAUTHORIZED' }).waitFor();

    await page.getByLabel('API key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByText('None yet.').waitFor();
    assert.equal(await page.getByRole('alert').filter({ hasText: 'UNAUTHORIZED' }).count(), 0);

    await page.getByRole('link', { name: 'Status' }).click();
    await page.locator('dd', { hasText: /backend, \d+ workers?/ }).waitFor();
    await page.locator('dd', { hasText: stack.mode === 'standalone' ? 'one process' : 'separate services' }).waitFor();
    await page.getByRole('table', { name: 'Messages waiting per queue' }).getByText('visage.detector').waitFor();
    await shoot(page, 'status-with-key');

    await page.reload();
    await page.getByRole('link', { name: 'Groups and people' }).click();
    await page.getByText('None yet.').waitFor();

    const other = await context.newPage();
    await other.goto(`${stack.baseUrl}/console/#groups`);
    await other.getByRole('alert').filter({ hasText: 'UNAUTHORIZED' }).waitFor();
    await other.close();

    await page.getByRole('button', { name: 'Forget key' }).click();
    await page.getByRole('alert').filter({ hasText: 'UNAUTHORIZED' }).waitFor();
    assert.deepEqual(browser.problems, []);
  });
});
