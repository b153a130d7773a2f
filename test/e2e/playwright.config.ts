import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3100);
const results = process.env.TEST_RESULTS_DIR ?? 'test-results';

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

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  globalSetup: './global-setup.ts',
  reporter: process.env.CI ? [['list'], ['json', { outputFile: `${results}/playwright.json` }]] : [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'off',
    screenshot: 'only-on-failure',
    locale: 'id-ID',
    timezoneId: 'Asia/Makassar',
  },
  outputDir: `${results}/playwright-artifacts`,
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined } },
  ],
  webServer: {
    command: 'npx tsx server/main.ts',
    cwd: '../..',
    url: `http://localhost:${PORT}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      DATA_DIR: '.tmp/e2e-data',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: `http://localhost:${PORT}`,
      AUTH_RATE_PER_MINUTE: '1000',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: e2eDatabaseUrl(process.env.DATABASE_URL) } : {}),
    },
  },
});

/** The e2e server gets its own database next to the test database (recreated in global setup). */
export function e2eDatabaseUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/balai_e2e';
  return u.toString();
}
