import fs from 'node:fs';

/*
 * Browser tests drive Debian's Chromium through playwright-core when both are at hand; without them
 * the test files say so and skip (no browser is downloaded).
 */
export type Pw = typeof import('playwright-core');
export type Browser = import('playwright-core').Browser;

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

function loadPlaywright(): Pw | undefined {
  for (const where of ['playwright-core', '/tmp/pw/node_modules/playwright-core']) {
    try {
      return require(where) as Pw;
    } catch {
      // not there: try the next place
    }
  }
  return undefined;
}

export const playwright: Pw | undefined = CHROMIUM ? loadPlaywright() : undefined;

/** beforeAll/afterAll for one headless Chromium shared by a file's tests. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await playwright!.chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 60_000);
  afterAll(() => browser?.close());
  return () => browser!;
}
