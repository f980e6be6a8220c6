/**
 * Horizon's error messages as a page shows them: Django messages (banners) and Angular toasts,
 * both `.alert-danger` elements reading "Error: ...".
 */
import type { Page } from 'puppeteer-core';

/**
 * Error banners and toasts: Horizon renders both as `.alert-danger` ("Error: ..."). Toasts go
 * away after a few seconds, so every one shown since the page loaded is recorded by an observer
 * installed in each document (ERROR_RECORDER) and read back with what is on screen now.
 */
export async function errorsOn(p: Page): Promise<string[]> {
  const now = await p.$$eval('.alert-danger, .alert-error', (els) => els.map((e) => (e as HTMLElement).innerText.trim()));
  const seen = await p.evaluate(() => (window as unknown as { trio2oErrors?: string[] }).trio2oErrors ?? []);
  return [...new Set([...seen, ...now])].filter((t) => t !== '');
}

/**
 * Runs in every document (page.evaluateOnNewDocument): keeps the text of each `.alert-danger`
 * element ever added in `window.trio2oErrors`. A string of plain JavaScript, not a function:
 * tsx compiles functions with `__name(...)` helpers the browser does not have. Angular sets a
 * toast's class (`alert-{$ toast.type $}`) and text after inserting it, hence the short delay.
 */
export const ERROR_RECORDER = `(() => {
  const seen = [];
  window.trio2oErrors = seen;
  const record = (el) => setTimeout(() => {
    for (const a of [el, ...el.querySelectorAll('.alert')]) {
      if (a.isConnected && a.matches('.alert-danger, .alert-error')) seen.push(a.innerText.trim());
    }
  }, 100);
  new MutationObserver((muts) => muts.forEach((m) => m.addedNodes.forEach((n) => n instanceof Element && record(n))))
    .observe(document, { childList: true, subtree: true });
})();`;
