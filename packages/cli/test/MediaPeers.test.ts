/**
 * Media between two `remotemedia-peer` processes through the real transport: a tone and a test pattern
 * (measured by the receiver and recorded to files read back with node-av), and a media file made here with
 * node-av and sent with `--send`.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { isAudio, isVideo } from "@remotemedia/runtime-core"
import { concatSamples, dominantFrequency } from "@remotemedia/signals"
import { openMediaFile } from "../src/media/MediaFile.ts"
import type { PeerReport } from "../src/stats/StatsReport.ts"
import { type CliProcess, jsonLines, spawnPeer } from "./support/cliProcess.ts"
import { writeMediaFile } from "./support/mediaFile.ts"
import { signalingEnv } from "./support/signalingEnv.ts"
import { tempDir } from "./support/tempDir.ts"

/** The summary's report of `peerId`, after checking the run ended cleanly. */
const summaryOf = (peer: CliProcess, peerId: string): PeerReport => {
  const summary = jsonLines(peer).at(-1)!
  assert.deepInclude(summary, { type: "summary", exitCode: 0, error: null }, peer.stderr())
  const report = (summary["peers"] as ReadonlyArray<PeerReport>).find((entry) => entry.peerId === peerId)
  assert.isDefined(report, JSON.stringify(summary))
  return report!
}

describe("remotemedia-peer media", () => {
  it.live("--tone and --pattern arrive at the right frequency and size; --record files read back", () =>
    Effect.gen(function*() {
      const env = yield* signalingEnv
      const dir = yield* tempDir
      const bob = yield* spawnPeer([...env.peerFlags("bob"), "--tone", "440", "--pattern", "320x240@15"])
      yield* bob.waitForEvent(/joined .* as bob/)
      const alice = yield* spawnPeer([
        ...env.peerFlags("alice"), "--connect", "bob", "--record", dir, "--expect-audio", "--expect-video", "--json", "--duration", "6"
      ])
      assert.strictEqual(yield* alice.exitCode, 0, `${alice.stderr()}\n--- bob\n${bob.stderr()}`)
      const bobReport = summaryOf(alice, "bob")
      assert.approximately(bobReport.audio.dominantHz!, 440, 2)
      assert.deepInclude(bobReport.video, { width: 320, height: 240 })
      assert.isAbove(bobReport.video.frames, 0)

      const wav = yield* openMediaFile(join(dir, "bob.wav"))
      const samples = concatSamples((yield* Stream.runCollect(wav.audio!)).filter(isAudio).map((chunk) => chunk.samples))
      assert.isAbove(samples.length, 48_000)
      assert.approximately(dominantFrequency(samples.subarray(-48_000), 48_000), 440, 2)
      const y4m = yield* openMediaFile(join(dir, "bob-320x240.y4m"))
      const frames = (yield* Stream.runCollect(y4m.video!)).filter(isVideo)
      assert.strictEqual(frames.length, bobReport.video.frames)
    }), 240_000)

  it.live("--send plays a file made with node-av: its tone and picture size arrive", () =>
    Effect.gen(function*() {
      const env = yield* signalingEnv
      const path = join(yield* tempDir, "clip.mkv")
      yield* Effect.promise(() => writeMediaFile({ path, seconds: 3, toneHz: 660, width: 176, height: 144, fps: 15 }))
      const bob = yield* spawnPeer([...env.peerFlags("bob"), "--send", path, "--codec", "h264"])
      yield* bob.waitForEvent(/joined .* as bob/)
      const alice = yield* spawnPeer([...env.peerFlags("alice"), "--connect", "bob", "--expect-audio", "--expect-video", "--json", "--duration", "6"])
      assert.strictEqual(yield* alice.exitCode, 0, `${alice.stderr()}\n--- bob\n${bob.stderr()}`)
      const bobReport = summaryOf(alice, "bob")
      assert.approximately(bobReport.audio.dominantHz!, 660, 2)
      assert.deepInclude(bobReport.video, { width: 176, height: 144 })
      assert.isAbove(bobReport.video.frames, 0)
    }), 240_000)

  it.live("--pipeline runs received media through the manifest and sends its output back to the sender", () =>
    Effect.gen(function*() {
      const env = yield* signalingEnv
      const manifest = join(yield* tempDir, "gain.json")
      writeFileSync(manifest, JSON.stringify({
        pipeline: {
          nodes: [{ id: "gain", type: "Gain", params: { gainDb: -6 } }],
          graph: [{ from: "input", to: "gain" }, { from: "gain", to: "output" }]
        }
      }))
      const bob = yield* spawnPeer([...env.peerFlags("bob"), "--pipeline", manifest])
      yield* bob.waitForEvent(/pipeline .* running \(sender routing\)/)
      const alice = yield* spawnPeer([...env.peerFlags("alice"), "--connect", "bob", "--tone", "880", "--expect-audio", "--json", "--duration", "6"])
      assert.strictEqual(yield* alice.exitCode, 0, `${alice.stderr()}\n--- bob\n${bob.stderr()}`)
      // bob sends no media of its own: what alice hears from bob is her tone, back through bob's pipeline.
      assert.approximately(summaryOf(alice, "bob").audio.dominantHz!, 880, 2)
    }), 240_000)
})
