/**
 * What the browser page shows, read back from its DOM: one row per peer (the `data-value` of each cell of
 * its stats table) and its chat lines.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { Page } from "playwright-core"

/** The browser's view of the mesh. */
export interface BrowserFigures {
  /** Per peer: the page's table cells by field (`state`, `rttMs`, `framesDecoded`, `audioEnergy`, ...). */
  readonly peers: ReadonlyArray<Record<string, string>>
  readonly chatLines: number
}

// A string, so no bundler or test transform can rewrite the code that runs in the page.
const readPage = `(() => ({
  peers: [...document.querySelectorAll("#peers tbody tr")].map((row) =>
    Object.fromEntries([...row.querySelectorAll("td")].map((cell) => [cell.dataset.field, cell.dataset.value ?? cell.textContent]))),
  chatLines: document.querySelectorAll("#chat li").length
}))()`

/** Reads the page; a page that cannot be read reports no peers (the verdict then says so). */
export const browserFigures = (page: Page): Effect.Effect<BrowserFigures> =>
  Effect.tryPromise(() => page.evaluate<BrowserFigures>(readPage)).pipe(Effect.orElseSucceed(() => ({ peers: [], chatLines: 0 })))
