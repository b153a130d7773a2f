import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { signIn } from './support';

/**
 * Regenerates docs/screenshots (README and docs). Skipped in ordinary runs:
 * `SCREENSHOTS=1 npx playwright test -c test/e2e/playwright.config.ts screenshots`.
 */
test.skip(process.env.SCREENSHOTS !== '1', 'set SCREENSHOTS=1 to regenerate docs/screenshots');

const dir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: `${dir}${name}.png` });

for (const [tag, width, height] of [
  ['desktop', 1280, 800],
  ['mobile', 360, 740],
] as const) {
  test(`screenshots at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await shot(page, `portal-${tag}`);
    if (tag === 'mobile') {
      await page.goto('/daftar');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await shot(page, 'register-mobile');
    }
    await signIn(page, 'admin@makassarkota.go.id');
    await page.goto('/admin/units');
    await expect(page.locator('[data-unit-name="Dinas Pekerjaan Umum"]')).toBeVisible();
    await shot(page, tag === 'desktop' ? 'workspace-units' : 'workspace-units-mobile');
    if (tag === 'mobile') {
      await page.getByRole('button', { name: 'Buka menu' }).click();
      await shot(page, 'workspace-nav-mobile');
      return;
    }
    for (const [path, name] of [
      ['/admin/users', 'workspace-users'],
      ['/admin/calendar', 'workspace-calendar'],
      ['/admin/audit', 'workspace-audit'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      await shot(page, name);
    }
  });
}
