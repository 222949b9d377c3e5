import path from "node:path";
import type { Page } from "playwright-core";

/**
 * Where the end-to-end test saves a screenshot of each page, when LEUKOFLOW_SCREENSHOTS_DIR says
 * so (docs/screenshots/ is refreshed that way); an ordinary test run writes nothing.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.LEUKOFLOW_SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
