/**
 * Receive-side concealment end to end: two werift peers on loopback, alice's audio sender loses every 10th
 * RTP packet on its way to the wire (the test seam: her werift sender's `sendRtp`), and bob's receive path
 * fills each hole with Opus concealment after his jitter buffer.
 */
import { bestLag, concatSamples, dominantFrequency } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Queue } from "effect"
import type { RtpPacket } from "werift"
import { sendTone } from "./support/mediaMesh.ts"
import { peerMediaPair } from "./support/peerMediaPair.ts"

const FRAME = 960

describe("media path: audio concealment", () => {
  it.live("every 10th packet lost: bob hears an unbroken 440 Hz tone, one concealed frame per lost packet", () =>
    Effect.gen(function*() {
      const { alice, bob } = yield* peerMediaPair()
      const sender = alice.actor.audio.sender
      const send = sender.sendRtp.bind(sender)
      const dropped = new Set<number>()
      let packets = 0
      sender.sendRtp = (packet: Buffer | RtpPacket) => {
        if (++packets % 10 !== 0 || Buffer.isBuffer(packet)) return send(packet)
        dropped.add(packet.header.timestamp)
        return Promise.resolve()
      }
      const sent = yield* sendTone(150, alice.media.sendAudio)
      // The jitter buffer holds the last frames for up to its delay: 140 of 150 are out well within 10 s.
      const received = (yield* Effect.forEach(Array.from({ length: 140 }), () => Queue.take(bob.incoming)).pipe(Effect.timeout("10 seconds")))
        .filter((m) => m.data._tag === "Audio")
      const timestamps = received.map((m) => m.rtpTimestamp)
      const steps = timestamps.slice(1).map((t, i) => (t - timestamps[i]!) >>> 0)
      assert.isTrue(steps.every((step) => step === FRAME), `RTP steps: ${steps.join(",")}`)

      const inWindow = [...dropped].filter((t) => ((t - timestamps[0]!) >>> 0) <= ((timestamps.at(-1)! - timestamps[0]!) >>> 0))
      const concealed = received.filter((m) => m.concealed).map((m) => m.rtpTimestamp)
      console.log(`concealment: ${inWindow.length} packets dropped in the window, ${concealed.length} frames concealed`)
      assert.isAtLeast(inWindow.length, 12)
      for (const t of inWindow) assert.include(concealed, t, `the dropped packet at ${t} is concealed`)
      // Anything else concealed was a packet too late for the jitter buffer (a loaded machine): rare.
      assert.isAtMost(concealed.length - inWindow.length, 2)

      const samples = concatSamples(received.map((m) => (m.data._tag === "Audio" ? m.data.samples : new Float32Array(0))))
      assert.closeTo(dominantFrequency(samples.subarray(FRAME * 10), 48_000), 440, 2)
      const match = bestLag(samples.subarray(FRAME * 10), concatSamples(sent), 0, FRAME * 40, FRAME * 60)
      assert.isAbove(match.correlation, 0.95, `correlation ${match.correlation} at lag ${match.lag}`)
    }), 60_000)
})
