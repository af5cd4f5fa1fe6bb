/**
 * Headless Debian Chromium (`/usr/bin/chromium`, never a downloaded browser) opening the page as a real
 * peer of the mesh, with the flags the field notes found to work as root inside a loopback-only network
 * namespace (fake media permission so it signals its loopback candidates).
 *
 * @since 0.1.0
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { chromium, type Page } from "playwright-core"

/** Where Debian installs Chromium. */
export const chromiumPath = "/usr/bin/chromium"

/** Chromium is missing or would not start. */
export class BrowserUnavailable extends Schema.TaggedError<BrowserUnavailable>()("BrowserUnavailable", {
  message: Schema.String
}) {}

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

/** True when Chromium is installed here. */
export const chromiumInstalled = (): boolean => existsSync(chromiumPath)

/**
 * The blank first page of a fresh headless Chromium with a fresh profile, for a script of one's own
 * (`page.evaluate`); browser and profile are gone with the scope. That initial page may reach servers on
 * loopback; Chromium's local network access checks block a page navigated to `about:blank` from doing so.
 */
export const launchChromium = Effect.fn("HeadlessChromium.launch")(function*() {
  if (!chromiumInstalled()) return yield* new BrowserUnavailable({ message: `${chromiumPath} is missing (apt-get install -y chromium)` })
  const profile = yield* Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "remotemedia-chromium-"))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )
  const context = yield* Effect.acquireRelease(
    Effect.tryPromise({
      try: () => chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: flags }),
      catch: (error) => new BrowserUnavailable({ message: `chromium would not start: ${String(error)}` })
    }),
    (context) => Effect.promise(() => context.close())
  )
  const page: Page = context.pages()[0] ?? (yield* Effect.promise(() => context.newPage()))
  return page
})

/** A page of a fresh headless Chromium with a fresh profile, opened at `url`; both are gone with the scope. */
export const openInChromium = Effect.fn("HeadlessChromium.open")(function*(url: string) {
  const page = yield* launchChromium()
  yield* Effect.tryPromise({
    try: () => page.goto(url),
    catch: (error) => new BrowserUnavailable({ message: `chromium could not open ${url}: ${String(error)}` })
  })
  return page
})
