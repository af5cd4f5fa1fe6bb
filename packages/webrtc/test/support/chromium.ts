/**
 * Headless Debian Chromium (never a downloaded browser) as a real WebRTC peer, with the flags the field
 * notes found to work as root inside the loopback-only namespace. When /usr/bin/chromium is missing, tests
 * are skipped locally and fail under CI (CI=true).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { chromium, type Page } from "playwright-core"

export const chromiumPath = "/usr/bin/chromium"

/** True when the interop tests can run here; under CI a missing browser is an error, not a skip. */
export const chromiumAvailable = (): boolean => {
  const present = existsSync(chromiumPath)
  if (!present && process.env.CI === "true") throw new Error(`${chromiumPath} is missing (apt-get install -y chromium)`)
  return present
}

const flags = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-default-browser-check",
  "--autoplay-policy=no-user-gesture-required",
  "--allow-loopback-in-peer-connection",
  "--disable-features=WebRtcHideLocalIpsWithMdns",
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream"
]

/** A fresh page in a fresh browser profile, closed (browser and profile) with the scope. */
export const chromiumPage = Effect.gen(function*() {
  const profile = yield* Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "remotemedia-chromium-"))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )
  const context = yield* Effect.acquireRelease(
    Effect.promise(() =>
      chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: flags })
    ),
    (context) => Effect.promise(() => context.close())
  )
  const page: Page = context.pages()[0] ?? (yield* Effect.promise(() => context.newPage()))
  return page
})
