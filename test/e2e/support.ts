import { expect, type Page } from '@playwright/test';

/** Password of every demo account (server/seed/demo.ts). */
export const DEMO_PASSWORD = 'balai2026';

/** A suffix that keeps names unique across runs against the same server. */
export function stamp(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** Signs in through the login page (Indonesian interface) and waits for the landing page. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD, landing: RegExp = /\/kerja$/): Promise<void> {
  await page.goto('/masuk');
  await page.getByRole('textbox', { name: 'E-mail atau nomor HP' }).fill(login);
  await page.getByRole('textbox', { name: 'Kata sandi', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).last().click();
  await expect(page).toHaveURL(landing);
}

/** The workspace navigation (the landmark built from /me). */
export function workspaceNav(page: Page) {
  return page.getByRole('navigation', { name: 'Menu ruang kerja' });
}

/** No element makes the page wider than the viewport (phones at 360 px). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, 'page is wider than the viewport').toBeLessThanOrEqual(width);
}
