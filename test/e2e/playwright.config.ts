import { resolve } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** Results go to <repo>/test-results (git-ignored) unless CI names another directory. */
const results = resolve(process.cwd(), process.env.TEST_RESULTS_DIR ?? 'test-results');

/** Chromium flags for this sandbox (STACK-NOTES). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const BASE_URL = `http://localhost:${PORT}`;
/** The e2e server's clock control (test/e2e/server.ts). */
export const CLOCK_URL = `http://127.0.0.1:${PORT + 1}/clock`;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['json', { outputFile: `${results}/playwright.json` }]] : [['list']],
  use: {
    baseURL: BASE_URL,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'off',
    screenshot: 'only-on-failure',
    locale: 'id-ID',
    timezoneId: 'Asia/Makassar',
  },
  outputDir: `${results}/playwright-artifacts`,
  projects: [{ name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    // Resets the e2e data (fresh directory or database), builds the web app, starts the server.
    command: 'npx tsx test/e2e/server.ts',
    cwd: '../..',
    url: `${BASE_URL}/readyz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      E2E_CONTROL_PORT: String(PORT + 1),
      // The deadline sweep runs every half second, so a journey sees an escalation at once.
      PERIODIC_INTERVAL_MS: '500',
      DATA_DIR: '.tmp/e2e-data',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: BASE_URL,
      AUTH_RATE_PER_MINUTE: '1000',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: e2eDatabaseUrl(process.env.DATABASE_URL) } : {}),
    },
  },
});

/** The e2e server gets its own database next to the test database (recreated by server.ts). */
export function e2eDatabaseUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/balai_e2e';
  return u.toString();
}
