/**
 * A compromised peer ("mallory", a bare werift endpoint) completes a real handshake with alice's transport
 * and then writes garbage on the negotiated media path: RTP with wrong payload types, truncated Opus, random
 * VP9 payload descriptors, huge sequence and timestamp jumps, unknown SSRCs; RTCP sender reports with absurd
 * clocks, receiver reports claiming total loss, PLI storms, REMB of 0 and 2^60 bit/s, NACKs for random
 * sequence numbers, random RTCP bytes; and unprotected datagrams. Meanwhile bob streams a 440 Hz tone to
 * alice. Alice must stay up, bob's tone must arrive complete and in order, what mallory sent must be dropped
 * (counted from alice's logs) or be mallory's own media, and nothing may throw out of a werift callback.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Logger, References, Stream } from "effect"
import * as fc from "fast-check"
import { audio, type Audio } from "@remotemedia/runtime-core"
import { concatSamples, dominantFrequency, makeSineTone } from "@remotemedia/signals"
import { SignalingConnector } from "../../src/transport/SignalingLink.ts"
import type { TransportEvent } from "../../src/transport/TransportEvent.ts"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { startedTransport } from "../support/testTransport.ts"
import { type RawMediaPeer, rawWeriftPeer } from "./support/rawWeriftPeer.ts"
import { streamSettled } from "./support/streamSettled.ts"
import { captureWeriftLog, dtlsTransportLog } from "./support/weriftLog.ts"

type Kind = "audio" | "video"
type Attack =
  | { readonly _tag: "WrongPayloadType"; readonly kind: Kind; readonly payloadType: number; readonly payload: Uint8Array }
  | { readonly _tag: "TruncatedOpus"; readonly payload: Uint8Array }
  | { readonly _tag: "RandomVp9"; readonly payload: Uint8Array; readonly marker: boolean }
  | { readonly _tag: "SequenceJump"; readonly kind: Kind; readonly seqStep: number; readonly timestamp: number; readonly payload: Uint8Array }
  | { readonly _tag: "UnknownSsrc"; readonly ssrc: number; readonly payload: Uint8Array }
  | { readonly _tag: "BogusSr"; readonly kind: Kind; readonly ntp: bigint; readonly rtpTimestamp: number; readonly count: number }
  | { readonly _tag: "BogusRr"; readonly kind: Kind; readonly fractionLost: number; readonly packetsLost: number; readonly jitter: number }
  | { readonly _tag: "Pli"; readonly ofRemote: boolean }
  | { readonly _tag: "Remb"; readonly bitrate: bigint }
  | { readonly _tag: "Nack"; readonly lost: ReadonlyArray<number> }
  | { readonly _tag: "RandomRtcp"; readonly bytes: Uint8Array }
  | { readonly _tag: "Datagram"; readonly bytes: Uint8Array }

const kinds = fc.constantFrom<Kind>("audio", "video")
const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max })
const u32 = fc.nat({ max: 0xffff_ffff })
const attacks: fc.Arbitrary<Attack> = fc.oneof(
  fc.record({ _tag: fc.constant("WrongPayloadType" as const), kind: kinds, payloadType: fc.nat({ max: 127 }), payload: bytes(1200) }),
  fc.record({ _tag: fc.constant("TruncatedOpus" as const), payload: fc.oneof(bytes(3), bytes(60)) }),
  fc.record({
    _tag: fc.constant("RandomVp9" as const),
    // A random descriptor first byte (I/P/L/F/B/E/V/Z bits), then random bytes.
    payload: fc.tuple(fc.nat({ max: 255 }), bytes(1200)).map(([descriptor, rest]) => Uint8Array.of(descriptor, ...rest)),
    marker: fc.boolean()
  }),
  fc.record({ _tag: fc.constant("SequenceJump" as const), kind: kinds, seqStep: fc.integer({ min: 1000, max: 65535 }), timestamp: u32, payload: bytes(200) }),
  fc.record({ _tag: fc.constant("UnknownSsrc" as const), ssrc: u32, payload: bytes(400) }),
  fc.record({ _tag: fc.constant("BogusSr" as const), kind: kinds, ntp: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), rtpTimestamp: u32, count: u32 }),
  fc.record({
    _tag: fc.constant("BogusRr" as const),
    kind: kinds,
    fractionLost: fc.nat({ max: 255 }),
    packetsLost: fc.nat({ max: 0x7f_ffff }),
    jitter: u32
  }),
  fc.record({ _tag: fc.constant("Pli" as const), ofRemote: fc.boolean() }),
  fc.record({ _tag: fc.constant("Remb" as const), bitrate: fc.constantFrom(0n, 1n, 2n ** 60n) }),
  fc.record({ _tag: fc.constant("Nack" as const), lost: fc.array(fc.nat({ max: 65535 }), { minLength: 1, maxLength: 60 }) }),
  fc.record({
    _tag: fc.constant("RandomRtcp" as const),
    // Version 2, then a packet type in the RTCP range (SR … PSFB) and random length and body.
    bytes: fc.tuple(fc.nat({ max: 31 }), fc.integer({ min: 200, max: 206 }), bytes(120)).map(([count, type, rest]) => Uint8Array.of(0x80 | count, type, ...rest))
  }),
  fc.record({
    _tag: fc.constant("Datagram" as const),
    // Unprotected bytes that look like RTP or RTCP (first byte 128–191).
    bytes: fc.tuple(fc.integer({ min: 128, max: 191 }), bytes(300)).map(([first, rest]) => Uint8Array.of(first, ...rest))
  })
)

const cases = Number(process.env["RELIABILITY_FUZZ_CASES"] ?? 1000)
const toneFrames = 250

/** Big-endian RTCP packet builders (werift's serializers reject or clamp what an attacker would send). */
const rtcp = (type: number, count: number, body: Uint8Array) => {
  const out = new Uint8Array(4 + body.length)
  const view = new DataView(out.buffer)
  view.setUint8(0, 0x80 | count)
  view.setUint8(1, type)
  view.setUint16(2, body.length / 4)
  out.set(body, 4)
  return out
}
const words = (...values: ReadonlyArray<number>) => {
  const out = new Uint8Array(values.length * 4)
  const view = new DataView(out.buffer)
  values.forEach((v, i) => view.setUint32(i * 4, v >>> 0))
  return out
}

/** Sends one attack; returns which layer it targets. */
const launch = (mallory: RawMediaPeer, attack: Attack, state: { seq: Record<Kind, number> }) => {
  const rtp = (kind: Kind, payload: Uint8Array, header: { payloadType?: number; ssrc?: number; marker?: boolean; timestamp?: number; seqStep?: number }) => {
    state.seq[kind] = (state.seq[kind] + (header.seqStep ?? 1)) & 0xffff
    const track = mallory.track(kind)
    return mallory.sendRtp(
      { ssrc: header.ssrc ?? track.ssrc, payloadType: header.payloadType ?? track.payloadType, sequenceNumber: state.seq[kind], timestamp: header.timestamp ?? Date.now() * 48, marker: header.marker ?? true },
      payload
    )
  }
  const remote = (kind: Kind) => mallory.remoteSsrcs(kind)[0] ?? 0
  switch (attack._tag) {
    case "WrongPayloadType":
      return rtp(attack.kind, attack.payload, { payloadType: attack.payloadType })
    case "TruncatedOpus":
      return rtp("audio", attack.payload, {})
    case "RandomVp9":
      return rtp("video", attack.payload, { marker: attack.marker })
    case "SequenceJump":
      return rtp(attack.kind, attack.payload, { seqStep: attack.seqStep, timestamp: attack.timestamp })
    case "UnknownSsrc":
      return rtp("audio", attack.payload, { ssrc: attack.ssrc })
    case "BogusSr":
      return mallory.sendRtcp(rtcp(200, 0, words(mallory.track(attack.kind).ssrc, Number(attack.ntp >> 32n), Number(attack.ntp & 0xffff_ffffn), attack.rtpTimestamp, attack.count, attack.count)))
    case "BogusRr":
      return mallory.sendRtcp(rtcp(201, 1, words(mallory.track(attack.kind).ssrc, remote(attack.kind), (attack.fractionLost << 24) | attack.packetsLost, 0xffff, attack.jitter, 0, 0)))
    case "Pli":
      return mallory.sendRtcp(rtcp(206, 1, words(mallory.track("video").ssrc, attack.ofRemote ? remote("video") : 0xdead_beef)))
    case "Remb": {
      // REMB: "REMB", 1 SSRC, exponent/mantissa, the SSRC; 2^60 needs exponent 42 with mantissa 2^18 − 1 … capped.
      const exponent = attack.bitrate === 0n ? 0 : Math.min(63, Math.max(0, attack.bitrate.toString(2).length - 18))
      const mantissa = Number(attack.bitrate >> BigInt(exponent)) & 0x3_ffff
      return mallory.sendRtcp(rtcp(206, 15, words(mallory.track("video").ssrc, 0, 0x52454d42, (1 << 24) | (exponent << 18) | mantissa, remote("video"))))
    }
    case "Nack":
      return mallory.sendRtcp(rtcp(205, 1, words(mallory.track("video").ssrc, remote("audio"), ...attack.lost.map((seq) => (seq << 16) | 0xffff))))
    case "RandomRtcp":
      return mallory.sendRtcp(attack.bytes)
    case "Datagram":
      return mallory.sendDatagram(attack.bytes)
  }
}

describe("a compromised media peer", () => {
  it.live(`${cases} garbage RTP/RTCP packets from a connected peer disturb no one else`, () => {
    const dropLogs: Array<string> = []
    const countDrops = Logger.make((options) => {
      const text = (Array.isArray(options.message) ? options.message : [options.message]).map(String).join(" ")
      if (text.includes("dropped")) dropLogs.push(text)
    })
    const escaped: Array<unknown> = []
    const onEscape = (error: unknown) => void escaped.push(error)
    return Effect.gen(function*() {
      yield* Effect.acquireRelease(
        Effect.sync(() => process.on("uncaughtException", onEscape).on("unhandledRejection", onEscape)),
        () => Effect.sync(() => process.off("uncaughtException", onEscape).off("unhandledRejection", onEscape))
      )
      const weriftLines = yield* captureWeriftLog(dtlsTransportLog)
      const hub = yield* makeMemorySignaling
      const connect = yield* SignalingConnector.pipe(Effect.provide(hub.layer))
      const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl: yield* stunServer }
      const patient = { connectTimeoutMs: 30_000 }
      const [alice, bob] = yield* Effect.all([startedTransport("alice", urls, patient), startedTransport("bob", urls, patient)]).pipe(Effect.provide(hub.layer))
      const events: Array<TransportEvent> = []
      yield* Effect.forkScoped(Stream.runForEach(alice.events, (e) => Effect.sync(() => events.push(e))), { startImmediately: true })
      const awaitMallory = yield* rawWeriftPeer(connect, "mallory", alice.config)
      yield* alice.connectPeer("bob")
      yield* alice.connectPeer("mallory")
      const mallory = yield* awaitMallory.pipe(Effect.timeout("30 seconds"))

      const fromBob: Array<{ readonly rtpTimestamp: number; readonly samples: Float32Array }> = []
      const fromMallory = { audio: 0, video: 0, oddVideo: [] as Array<string> }
      const receiving = yield* alice.incoming.pipe(
        Stream.runForEach((m) => Effect.sync(() => {
          if (m.peerId === "bob" && m.data._tag === "Audio") fromBob.push({ rtpTimestamp: m.rtpTimestamp, samples: m.data.samples })
          else if (m.peerId === "mallory" && m.data._tag === "Audio") fromMallory.audio++
          else if (m.peerId === "mallory" && m.data._tag === "Video") {
            fromMallory.video++
            if (m.data.frame.width * m.data.frame.height > 1920 * 1080) fromMallory.oddVideo.push(`${m.data.frame.width}x${m.data.frame.height}`)
          }
        })),
        Effect.forkScoped({ startImmediately: true })
      )

      const plan = fc.sample(attacks, { numRuns: cases, seed: 20261125 })
      const tally: Partial<Record<Attack["_tag"], number>> = {}
      const state = { seq: { audio: 1000, video: 1000 } }
      let unsent = 0
      const perFrame = Math.ceil(cases / toneFrames)
      const tone = makeSineTone({ frequency: 440, sampleRate: 48_000, amplitude: 0.5 })
      const quiet = makeSineTone({ frequency: 660, sampleRate: 48_000, amplitude: 0.5 })
      for (let frame = 0; frame < toneFrames; frame++) {
        const chunk: Audio = audio(tone.next(960), 48_000)
        yield* bob.sendToPeer("alice", chunk)
        // alice talks to mallory too, so its RR, NACK and REMB land on a live sender.
        yield* alice.sendToPeer("mallory", audio(quiet.next(960), 48_000)).pipe(Effect.ignore)
        for (const attack of plan.slice(frame * perFrame, (frame + 1) * perFrame)) {
          tally[attack._tag] = (tally[attack._tag] ?? 0) + 1
          // werift's own SRTCP refuses some of mallory's packets before they leave: her problem, not alice's.
          yield* Effect.promise(() => launch(mallory, attack, state).then(() => undefined, () => void unsent++))
        }
        // A live source: 20 ms of audio every 20 ms.
        yield* Effect.sleep("20 millis")
      }
      yield* streamSettled(() => fromBob.length, toneFrames)
      yield* Fiber.interrupt(receiving)

      const frequency = dominantFrequency(concatSamples(fromBob.slice(5).map((r) => r.samples)), 48_000)
      const weriftDropped = weriftLines.filter((line) => line.includes("dropping")).length
      // werift 0.25.2's RtpRouter reads `feedback.count` of a payload-specific feedback whose FMT it does not
      // know, throws, catches itself and drops the packet; our own RTCP consumers are property-tested for that
      // input in HostileRtcp.test.ts. Any other exception caught by werift came from a subscriber.
      const routerBug = weriftLines.filter((line) => line.includes("RTCP error TypeError: Cannot read properties of undefined (reading 'count')"))
      const thrownInCallbacks = weriftLines.filter((line) => /RTC?P error/.test(line) && !routerBug.includes(line))
      const holes = fromBob.slice(1).map((r, i) => Math.round(((r.rtpTimestamp - fromBob[i]!.rtpTimestamp) >>> 0) / 960) - 1)
      const peers = (yield* alice.listPeers).map((p) => p.peerId).toSorted()
      const malloryEvents = events.filter((e) => "peerId" in e && e.peerId === "mallory").map((e) => e._tag)
      console.log(
        `compromised peer: ${JSON.stringify(tally)} (${unsent} refused by mallory's own werift); werift dropped ${weriftDropped} undecryptable packets and ${routerBug.length} it could not route, alice logged ${dropLogs.length} dropped frames, delivered ${fromMallory.audio} audio / ` +
          `${fromMallory.video} video frames of hers; bob's tone ${fromBob.length}/${toneFrames} frames, ${frequency.toFixed(1)} Hz, longest hole ` +
          `${Math.max(0, ...holes)}; alice's peers ${peers.join(",")}; mallory events ${malloryEvents.join(",") || "none"}`
      )
      assert.deepStrictEqual(escaped, [], "nothing escaped to the process")
      assert.deepStrictEqual(thrownInCallbacks, [], "no subscriber threw inside werift")
      assert.isAtLeast(fromBob.length, toneFrames * 0.95, "bob's stream is complete")
      assert.isTrue(holes.every((h) => h >= 0), "bob's frames come out in order")
      assert.isAtMost(Math.max(0, ...holes), 2, "no gap in bob's stream")
      assert.approximately(frequency, 440, 2, "bob's tone is 440 Hz")
      assert.deepStrictEqual(events.filter((e) => "peerId" in e && e.peerId === "bob"), [{ _tag: "PeerConnected", peerId: "bob" }], "bob's connection was never touched")
      assert.include(peers, "bob")
      assert.isAbove(weriftDropped, 0, "unprotected datagrams were dropped and counted")
      assert.deepStrictEqual(fromMallory.oddVideo, [], "no absurd picture sizes were decoded")
    }).pipe(Effect.provide(Logger.layer([countDrops])), Effect.provideService(References.MinimumLogLevel, "Debug"))
  }, 180_000)
})
