/**
 * Media through the transport's public API, each call timed next to the bare encoder on the same frame
 * (alternating frame by frame, so load from elsewhere hits both alike), at the rate of a live source:
 *
 * - audio `sendToPeer`, one 20 ms frame to one peer; audio `broadcast` to 1, 5 and 10 peers (a hub
 *   connected to 1, then 5, then 10 transports). Audio calls return once the frame is encoded and written.
 * - video 720p `sendToPeer`, VP9 and H.264 (a pair per codec, the codec preferred on both ends), and VP9
 *   `broadcast` to 10 peers. Video calls return once the frame is encoded and queued for the pacer, and
 *   are made at 30 fps (faster would only fill the pacer's queue: `SendBufferFull`), audio calls every 20 ms.
 *
 * Every transport runs in this process: the receivers' depacketizing, decoding and sync share the machine
 * with the sender, as they would in a one-process deployment; with 10 receivers of 720p VP9 that is most of
 * the CPU on a 2-core machine. The fanout suite measures the sender alone, its receivers in other processes.
 */
import { audio, video } from "@remotemedia/runtime-core"
import type { WebRtcTransportService } from "@remotemedia/webrtc"
import { Effect, Stream } from "effect"
import type { BenchSizes } from "../BenchSizes.ts"
import { audioCalls, videoCalls } from "../measure/pacedCalls.ts"
import { connectedPair, connectForSetUp, type LocalUrls, localSignaling, startedTransport } from "../peers/transports.ts"
import { type Figure, measured } from "../report/Figure.ts"
import { progress } from "../report/progress.ts"
import { testPattern } from "./videoSuite.ts"

const RATE = 48_000

/** `hub` connects to fresh transports until it has `count` peers; their `incoming` is drained. */
const growStar = Effect.fnUntraced(function*(hub: WebRtcTransportService, urls: LocalUrls, peers: Array<WebRtcTransportService>, count: number) {
  while (peers.length < count) {
    const peer = yield* startedTransport(`${hub.config.peerId}-peer${peers.length}`, urls)
    yield* Effect.forkScoped(Stream.runDrain(peer.incoming))
    yield* connectForSetUp(hub, peer.config.peerId)
    peers.push(peer)
  }
})

/** sendToPeer and broadcast figures, audio and video. */
export const transportMediaSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.scoped(Effect.gen(function*() {
    const urls = yield* localSignaling({ rateLimit: 1_000_000 })
    const sources = testPattern(Math.min(sizes.videoFrames, 30))
    const figures: Array<Figure> = []
    const audioSpec = (id: string, title: string) => ({ id, title, unit: "ms/frame" })
    const videoSpec = audioSpec

    yield* progress("media: audio sendToPeer")
    const vp9 = yield* connectedPair(urls, "VP9")
    const audioSend = yield* audioCalls(sizes.transportAudioFrames, (frame) => vp9.sender.sendToPeer(vp9.receiverId, audio(frame, RATE)))
    figures.push(measured(audioSpec("audio.sendToPeer", "audio sendToPeer, 20 ms frame"), ["bare libopus encode", audioSend.bareMs], ["sendToPeer", audioSend.oursMs]))

    for (const codec of ["VP9", "H264"] as const) {
      yield* progress(`media: video sendToPeer ${codec}`)
      const { sender, receiverId } = codec === "VP9" ? vp9 : yield* connectedPair(urls, codec)
      const sent = yield* videoCalls(codec, sources, sizes.videoFrames, (frame) =>
        // A full pacer queue drops the frame, as a live sender would; the call's time still counts.
        sender.sendToPeer(receiverId, video(frame)).pipe(Effect.catchTag("SendBufferFull", () => Effect.void)))
      figures.push(measured(videoSpec(`video.sendToPeer.${codec}`, `video 720p ${codec} sendToPeer (encode + queue for pacing)`), [`bare ${codec} encode`, sent.bareMs], ["sendToPeer", sent.oursMs]))
    }

    const hub = yield* startedTransport("hub", urls)
    const peers: Array<WebRtcTransportService> = []
    for (const count of [1, 5, 10]) {
      yield* progress(`media: audio broadcast to ${count}`)
      yield* growStar(hub, urls, peers, count)
      const sent = yield* audioCalls(sizes.transportAudioFrames, (frame) => hub.broadcast(audio(frame, RATE)))
      figures.push(measured(audioSpec(`audio.broadcast${count}`, `audio broadcast to ${count} peer${count > 1 ? "s" : ""}, 20 ms frame`), ["bare libopus encode", sent.bareMs], ["broadcast", sent.oursMs]))
    }
    yield* progress("media: video broadcast to 10")
    const sent = yield* videoCalls("VP9", sources, Math.ceil(sizes.videoFrames / 3), (frame) => hub.broadcast(video(frame)))
    figures.push(measured(videoSpec("video.broadcast10", "video 720p VP9 broadcast to 10 peers"), ["bare VP9 encode", sent.bareMs], ["broadcast", sent.oursMs]))
    return figures
  })).pipe(Effect.orDie)
