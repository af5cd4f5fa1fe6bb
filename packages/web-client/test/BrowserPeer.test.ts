import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Predicate, Stream } from "effect"
import type { Page } from "playwright-core"
import { make as makeSignalingServer, makeStunResponder } from "@remotemedia/signaling-server"
import { makeWebRtcTransport, type TransportEvent, type WebRtcTransportService } from "@remotemedia/webrtc"
import { chromiumInstalled, openInChromium } from "../src/HeadlessChromium.ts"
import { makeWebClientServer, pageUrl } from "../src/index.ts"

const artifacts = join(import.meta.dirname, "..", "..", "..", ".artifacts", "web-client")

// Under CI a missing browser is a failure, not a skip.
const runnable = chromiumInstalled() || process.env.CI === "true"

/** Waits (with a loud timeout) until the page's `predicate(arg)` holds. */
const pageShows = (page: Page, what: string, predicate: () => boolean, timeout = 20_000) =>
  Effect.tryPromise({
    try: () => page.waitForFunction(predicate, undefined, { timeout, polling: 100 }),
    catch: (error) => new Error(`the page never showed ${what}: ${String(error)}`)
  })

const cell = (page: Page, peerId: string, field: string) =>
  Effect.promise(() => page.locator(`tr[data-peer="${peerId}"] [data-field="${field}"]`).getAttribute("data-value"))

/** The first event matching `predicate`, watched from now on. */
const nextEvent = (transport: WebRtcTransportService, predicate: (event: TransportEvent) => boolean) =>
  Stream.runHead(Stream.filter(transport.events, predicate)).pipe(
    Effect.flatMap(Effect.fromOption),
    Effect.timeout("20 seconds"),
    Effect.forkScoped({ startImmediately: true }),
    Effect.map(Fiber.join)
  )

/** The first Text message from `peerId` equal to `text`, watched from now on. */
const nextText = (transport: WebRtcTransportService, peerId: string, text: string) =>
  Stream.runHead(
    Stream.filter(transport.dataChannelMessages, (m) => m.peerId === peerId && Predicate.isTagged(m.message, "Text") && m.message.payload === text)
  ).pipe(Effect.flatMap(Effect.fromOption), Effect.timeout("20 seconds"), Effect.forkScoped({ startImmediately: true }), Effect.map(Fiber.join))

describe.runIf(runnable)("the browser page in headless Chromium", () => {
  it.live("joins the mesh of two transports, lists them, and chats both ways over our framing", () =>
    Effect.gen(function*() {
      const signaling = yield* makeSignalingServer()
      const stun = yield* makeStunResponder()
      const transport = (peerId: string) =>
        makeWebRtcTransport({ signalingUrl: signaling.url, peerId, stunServers: [stun.url], candidateHosts: "loopback" })
      const alice = yield* transport("alice")
      const bob = yield* transport("bob")
      yield* Effect.all([alice.start, bob.start])
      yield* alice.connectPeer("bob")

      const connected = (peerId: string) => (event: TransportEvent) => event._tag === "PeerConnected" && event.peerId === peerId
      const aliceSeesBrowser = yield* nextEvent(alice, connected("browser"))
      const bobSeesBrowser = yield* nextEvent(bob, connected("browser"))
      const greeting = yield* nextText(alice, "browser", "hello from browser")
      const typed = yield* nextText(bob, "browser", "typed in the page ✓")

      const server = yield* makeWebClientServer()
      const page = yield* openInChromium(pageUrl(server.url, { signalingUrl: signaling.url, stunUrl: stun.url, peerId: "browser" }))
      yield* aliceSeesBrowser
      yield* bobSeesBrowser
      yield* greeting

      // Peers listed, connected.
      yield* pageShows(page, "both peers connected", () =>
        ["alice", "bob"].every((id) => document.querySelector(`tr[data-peer="${id}"] [data-field="state"]`)?.textContent === "connected"))

      // Chat in. (Kept under 1 kB: with candidateHosts "loopback" the transport's SCTP MTU is 8000, and
      // Chromium fails the connection on the first bigger message; reported to the data-channel owner.)
      yield* alice.sendDataChannelMessage("browser", { _tag: "Text", payload: "hi browser, alice here ✓" })
      yield* bob.sendDataChannelMessage("browser", { _tag: "Binary", payload: new Uint8Array(1_000) })
      yield* pageShows(page, "alice's chat line", () =>
        [...document.querySelectorAll("#chat li")].some((li) => li.textContent === "alice: hi browser, alice here ✓"))
      yield* pageShows(page, "bob's 1000-byte message", () =>
        [...document.querySelectorAll("#chat li")].some((li) => li.textContent === "bob: [1000 bytes]"))

      // Chat out: typed into the page, sent to every peer.
      yield* Effect.promise(async () => {
        await page.fill("#chat-input", "typed in the page ✓")
        await page.press("#chat-input", "Enter")
      })
      yield* typed

      // The page's stats come from getStats: its RTT to each peer is measured.
      yield* pageShows(page, "an RTT to alice", () =>
        Number(document.querySelector('tr[data-peer="alice"] [data-field="rttMs"]')?.getAttribute("data-value")) >= 0)
      assert.isNotNull(yield* cell(page, "alice", "rttMs"))

      mkdirSync(artifacts, { recursive: true })
      yield* Effect.promise(() => page.screenshot({ path: join(artifacts, "mesh.png"), fullPage: true }))
    }), 60_000)
})
