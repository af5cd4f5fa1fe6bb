/**
 * End to end over two werift peer connections on loopback (run inside scripts/netns): Opus audio and
 * VP9 / H.264 video go through sendrecv transceivers, are received, assembled, decoded and measured. One
 * video frame's packet is dropped on the receive side: the receiver detects the lost frame, sends a PLI,
 * the sender answers with a keyframe and decoding resumes.
 */
import { audio } from "@remotemedia/runtime-core"
import { bestLag, concatSamples, dominantFrequency, makeSineTone, psnr, testPatternFrame } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Queue, Stream } from "effect"
import { type RtpPacket, useH264, useVP9 } from "werift"
import {
  OpusCodec,
  VideoCodec,
  depacketize,
  keyframeRequests,
  makeAudioFramer,
  makeFrameAssembler,
  makeKeyframeRequester,
  makePacketizer,
  makeRtpClock,
  mediaCodecsLayer,
  planPacing,
  sendPaced,
  type VideoCodecName
} from "../../src/media/index.ts"
import { sequenceDistance } from "../../src/sync/index.ts"
import { loopbackCall, type LoopbackCall } from "./support/loopbackCall.ts"

const W = 1280
const H = 720
const LOST_FRAME = 10
const AUDIO_FRAMES = 50

const udpHandles = () => process.getActiveResourcesInfo().filter((kind) => kind === "UDPWRAP").length

/** Packets of `track` as they arrive, after the test seam `drop` (which models loss on the wire). */
const received = (track: LoopbackCall["remote"]["video"]["track"], drop: (packet: RtpPacket) => boolean) =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const queue = yield* Queue.unbounded<RtpPacket>()
      const subscription = track.onReceiveRtp.subscribe((packet) => {
        if (!drop(packet)) Queue.offerUnsafe(queue, packet)
      })
      return { queue, subscription }
    }),
    ({ subscription }) => Effect.sync(() => subscription.unSubscribe())
  ).pipe(Effect.map(({ queue }) => queue))

const sendAudio = (call: LoopbackCall) =>
  Effect.gen(function*() {
    const encoder = yield* (yield* OpusCodec).makeEncoder({ channels: 1 })
    const framer = makeAudioFramer(1)
    const packetizer = makePacketizer("opus")
    const clock = makeRtpClock(48_000)
    const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
    const sent: Array<Float32Array> = []
    for (let i = 0; i < AUDIO_FRAMES; i++) {
      const [frame] = yield* framer.push(audio(tone.next(960), 48_000))
      sent.push(frame!)
      for (const packet of packetizer.packetize(yield* encoder.encode(frame!), clock.timestampAt(i * 20_000), false)) call.audio.track.writeRtp(packet)
      yield* Effect.sleep("20 millis")
    }
    return sent
  })

const receiveAudio = (call: LoopbackCall) =>
  Effect.gen(function*() {
    const decoder = yield* (yield* OpusCodec).makeDecoder(1)
    const queue = yield* received(call.remote.audio.track, () => false)
    const out: Array<Float32Array> = []
    const timestamps: Array<number> = []
    let last: RtpPacket | undefined
    while (out.length < AUDIO_FRAMES) {
      const packet = yield* Queue.take(queue)
      // A gap in sequence numbers is lost audio: conceal each missing frame.
      const missing = last === undefined ? 0 : sequenceDistance(last.header.sequenceNumber, packet.header.sequenceNumber) - 1
      for (let m = 0; m < missing; m++) out.push(yield* decoder.conceal())
      const { data } = yield* depacketize("opus", [packet])
      out.push(yield* decoder.decode(data))
      timestamps.push(packet.header.timestamp)
      last = packet
    }
    return { out, timestamps }
  }).pipe(Effect.timeoutOrElse({ duration: "10 seconds", orElse: () => Effect.die(new Error(`fewer than ${AUDIO_FRAMES} Opus packets arrived in 10 s`)) }))


const sendAndReceiveVideo = (call: LoopbackCall, codec: VideoCodecName) =>
  Effect.gen(function*() {
    const video = yield* VideoCodec
    const clock = makeRtpClock(90_000)
    const frameIndex = (timestamp: number) => Math.round(((timestamp - clock.start + 0x1_0000_0000) % 0x1_0000_0000) / 3000)

    // Sender: encode 30 fps, packetize, pace each frame over 15 ms, answer keyframe requests.
    const encoder = yield* video.makeEncoder({ codec, width: W, height: H, bitrate: 2_500_000 })
    const packetizer = makePacketizer(codec)
    let keyframeRequestsSeen = 0
    yield* keyframeRequests(call.video.transceiver).pipe(
      Stream.runForEach(() => Effect.sync(() => {
        keyframeRequestsSeen++
        encoder.requestKeyframe()
      })),
      Effect.forkScoped({ startImmediately: true })
    )
    const recovered = yield* Deferred.make<void>()
    const sender = yield* Effect.forkScoped(Effect.gen(function*() {
      for (let i = 0; i < 150 && !(yield* Deferred.isDone(recovered)); i++) {
        const source = testPatternFrame(W, H, i)
        for (const encoded of yield* encoder.encode(source)) {
          const packets = packetizer.packetize(encoded.data, clock.timestampAt(encoded.timestampUs), encoded.isKeyframe)
          yield* sendPaced(packets, planPacing(packets.map((p) => p.payload.length), { budgetMs: 15 }), (p) => call.video.track.writeRtp(p))
        }
        yield* Effect.sleep("15 millis")
      }
    }))

    // Receiver: assemble, depacketize, decode, measure; PLI when the decoder waits for a keyframe.
    let dropped = 0
    const queue = yield* received(call.remote.video.track, (packet) => {
      const drop = dropped === 0 && frameIndex(packet.header.timestamp) === LOST_FRAME
      if (drop) dropped++
      return drop
    })
    const assembler = makeFrameAssembler()
    const decoder = yield* video.makeDecoder(codec)
    const requestKeyframe = makeKeyframeRequester(call.remote.video.receiver, 100)
    const decoded: Array<{ index: number; isKeyframe: boolean; psnr: number; size: string }> = []
    let afterLoss = 0
    const stuck = () => Effect.die(new Error(`video did not recover in 15 s: decoded ${decoded.map((d) => d.index)}, keyframe requests ${keyframeRequestsSeen}`))
    yield* Effect.gen(function*() {
      while (!(yield* Deferred.isDone(recovered))) {
      const packet = yield* Queue.take(queue)
      for (const frame of assembler.push(packet)) {
        if (frame.afterLoss) {
          afterLoss++
          decoder.frameLost()
        }
        const index = frameIndex(frame.timestamp)
        const encoded = yield* depacketize(codec, frame.packets)
        for (const picture of yield* decoder.decode({ ...encoded, timestampUs: index })) {
          decoded.push({ index, isKeyframe: encoded.isKeyframe, psnr: psnr(testPatternFrame(W, H, index), picture), size: `${picture.width}x${picture.height}` })
          if (index >= LOST_FRAME + 8) yield* Deferred.succeed(recovered, undefined)
        }
        if (decoder.needsKeyframe()) yield* requestKeyframe(packet.header.ssrc)
      }
    }
    }).pipe(Effect.timeoutOrElse({ duration: "15 seconds", orElse: stuck }))
    yield* Fiber.join(sender)
    return { decoded, afterLoss, keyframeRequestsSeen, dropped, losses: assembler.lossEvents() }
  })

const checkVideo = (result: Effect.Success<ReturnType<typeof sendAndReceiveVideo>>) => {
  const { decoded, afterLoss, keyframeRequestsSeen, dropped, losses } = result
  assert.strictEqual(dropped, 1)
  assert.strictEqual(losses, 1)
  assert.strictEqual(afterLoss, 1)
  assert.isAtLeast(keyframeRequestsSeen, 1, "the sender saw the receiver's PLI")
  assert.isTrue(decoded.every((d) => d.size === `${W}x${H}`))
  assert.isAbove(Math.min(...decoded.map((d) => d.psnr)), 30)
  const indices = decoded.map((d) => d.index)
  assert.includeMembers(indices, [0, 1, LOST_FRAME - 1])
  assert.notInclude(indices, LOST_FRAME)
  // Decoding resumed on a keyframe the sender made after the PLI.
  const resumed = decoded.find((d) => d.index > LOST_FRAME)!
  assert.isTrue(resumed.isKeyframe)
  assert.isAtLeast(decoded.filter((d) => d.index > LOST_FRAME).length, 5)
}

describe("media over a loopback werift call", () => {
  it.live("Opus at 440 Hz and VP9 720p arrive intact; a lost VP9 frame recovers via PLI + keyframe", () =>
    Effect.gen(function*() {
      const before = udpHandles()
      const { sent, audioOut, result } = yield* Effect.scoped(Effect.gen(function*() {
        const call = yield* loopbackCall(() => useVP9({ parameters: "profile-id=0" }))
        // Start at once: the receiver must subscribe before the first packet is sent.
        const audioIn = yield* receiveAudio(call).pipe(Effect.forkScoped({ startImmediately: true }))
        const sent = yield* sendAudio(call)
        const audioOut = yield* Fiber.join(audioIn)
        return { sent, audioOut, result: yield* sendAndReceiveVideo(call, "VP9") }
      }))
      const input = concatSamples(sent)
      const output = concatSamples(audioOut.out)
      assert.isBelow(Math.abs(dominantFrequency(output.subarray(4800), 48_000) - 440), 2)
      assert.isAbove(bestLag(input, output, 0, 960, 24_000).correlation, 0.99)
      audioOut.timestamps.slice(1).forEach((t, i) => assert.strictEqual((t - audioOut.timestamps[i]! + 0x1_0000_0000) % 0x1_0000_0000, 960))
      checkVideo(result)
      assert.strictEqual(udpHandles(), before, "every ICE and STUN socket is closed")
    }).pipe(Effect.provide(mediaCodecsLayer)))

  it.live("H.264 720p arrives intact; a lost frame recovers via PLI + keyframe", () =>
    Effect.gen(function*() {
      checkVideo(yield* Effect.scoped(Effect.flatMap(loopbackCall(() => useH264()), (call) => sendAndReceiveVideo(call, "H264"))))
    }).pipe(Effect.provide(mediaCodecsLayer)))
})
