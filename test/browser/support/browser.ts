// Debian's Chromium driven by playwright-core: headless, a fresh profile per test file, and a screenshot of every
// open page when a test fails (test-results/screenshots/, which .ci/run lists).
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { ensurePagesBuilt } from './pagesBuild.ts'

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const screenshotDir = path.resolve('test-results/screenshots')

export interface BrowserFixture {
  context: BrowserContext
  /** A new tab at `width` px (desktop 1280 by default). */
  newPage(width?: number): Promise<Page>
}

export async function launchBrowser(): Promise<BrowserFixture & { close(): Promise<void> }> {
  const profile = await mkdtemp(path.join(tmpdir(), 'chromium-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  })
  context.setDefaultTimeout(20_000)
  return {
    context,
    newPage: async (width = 1280) => {
      const page = await context.newPage()
      await page.setViewportSize({ width, height: width < 600 ? 780 : 900 })
      page.on('pageerror', (error) => console.error(`[browser] ${error.message}`))
      return page
    },
    close: async () => {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}

const safe = (name: string) => name.replace(/[^\w.-]+/g, '-').slice(0, 120)

/** Starts Chromium for the file; on a failed test saves a screenshot of each open page. */
export function useBrowser(): BrowserFixture {
  let browser: Awaited<ReturnType<typeof launchBrowser>> | null = null
  beforeAll(async () => {
    await ensurePagesBuilt()
    browser = await launchBrowser()
  }, 120_000)
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !browser) return
    await mkdir(screenshotDir, { recursive: true })
    const pages = browser.context.pages()
    for (const [i, page] of pages.entries()) {
      const file = path.join(screenshotDir, `${safe(context.task.name)}-${i}.png`)
      await page.screenshot({ path: file, fullPage: true }).catch(() => {})
      console.error(`[browser] screenshot of the failed test: ${file}`)
    }
  })
  afterAll(async () => {
    await browser?.close()
  })
  return {
    get context() {
      return browser!.context
    },
    newPage: (width) => browser!.newPage(width),
  }
}
