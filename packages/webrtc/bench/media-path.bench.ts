/**
 * Media-path benchmark, each figure next to its bare-codec baseline measured in the same run:
 *
 *   scripts/netns node --conditions=source packages/webrtc/bench/media-path.bench.ts
 *
 * - audio: `sendToPeer` of one 20 ms frame against the bare Opus encode of the same frame;
 * - broadcast audio to PEERS peers (one encode + fan-out);
 * - video (640x360 VP9): `sendToPeer` and broadcast to PEERS peers against the bare encoder.
 */
import { audio, video } from "@remotemedia/runtime-core"
import { makeSineTone, testPatternFrame } from "@remotemedia/signals"
import { Effect } from "effect"
import { OpusCodec } from "../src/media/audio/OpusCodec.ts"
import { VideoCodec } from "../src/media/video/VideoCodec.ts"
import { signalingEnv } from "../test/support/signalingEnv.ts"
import { startedTransport } from "../test/support/testTransport.ts"
import { header, row, summarise } from "./mediaStats.ts"

const PEERS = Number(process.env.PEERS ?? 10)
const AUDIO_FRAMES = Number(process.env.AUDIO_FRAMES ?? 300)
const VIDEO_FRAMES = Number(process.env.VIDEO_FRAMES ?? 60)
const [width, height] = [640, 360]

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const start = performance.now()
    yield* effect
    return performance.now() - start
  })

const program = Effect.gen(function*() {
  const urls = yield* signalingEnv()
  const hub = yield* startedTransport("hub", urls)
  const others = yield* Effect.forEach(Array.from({ length: PEERS }, (_, i) => `p${i}`), (name) => startedTransport(name, urls))
  yield* Effect.forEach(others, (t) => hub.connectPeer(t.config.peerId), { concurrency: 4 })

  const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
  const encoder = yield* (yield* OpusCodec).makeEncoder({ channels: 1 })
  const bareAudio: Array<number> = []
  const sendAudio: Array<number> = []
  const broadcastAudio: Array<number> = []
  for (let i = 0; i < AUDIO_FRAMES; i++) {
    const chunk = tone.next(960)
    bareAudio.push(yield* timed(Effect.suspend(() => encoder.encode(chunk))))
    sendAudio.push(yield* timed(hub.sendToPeer("p0", audio(chunk, 48_000))))
    broadcastAudio.push(yield* timed(hub.broadcast(audio(chunk, 48_000))))
    yield* Effect.sleep("5 millis")
  }

  const videoEncoder = yield* (yield* VideoCodec).makeEncoder({ codec: "VP9", width, height })
  const bareVideo: Array<number> = []
  const sendVideo: Array<number> = []
  const broadcastVideo: Array<number> = []
  for (let i = 0; i < VIDEO_FRAMES; i++) {
    const frame = testPatternFrame(width, height, i)
    bareVideo.push(yield* timed(Effect.suspend(() => videoEncoder.encode(frame))))
    sendVideo.push(yield* timed(hub.sendToPeer("p0", video(frame))))
    broadcastVideo.push(yield* timed(hub.broadcast(video(frame))))
    yield* Effect.sleep("30 millis")
  }

  console.log(header)
  const bareA = summarise(bareAudio)
  console.log(row("bare Opus encode (20 ms frame)", bareA))
  console.log(row("sendToPeer audio", summarise(sendAudio), bareA))
  console.log(row(`broadcast audio to ${PEERS} peers`, summarise(broadcastAudio), bareA))
  const bareV = summarise(bareVideo)
  console.log(row(`bare VP9 encode ${width}x${height}`, bareV))
  console.log(row("sendToPeer video", summarise(sendVideo), bareV))
  console.log(row(`broadcast video to ${PEERS} peers`, summarise(broadcastVideo), bareV))
}).pipe(Effect.scoped, Effect.provide([OpusCodec.layer, VideoCodec.layer]))

await Effect.runPromise(program)
