/**
 * The sender's own cost of a broadcast to 10 peers (`sizes.fanOutPeers`), its receivers in another process
 * (peers/childTransport.ts): their depacketizing, decoding and sync no longer run on the sender's event loop,
 * as they do in the media suite's in-process broadcast figures. One process for all receivers, not one each:
 * on 2 cores, ten busy processes preempt the sender far more than one does. Adaptive bitrate is off, so
 * every peer gets the same bytes: one encode per frame (with it on, a peer whose estimate drops gets an
 * encode of its own, by design).
 *
 * - audio `broadcast` to 10, one 20 ms frame: the call (encode once, write to 10 tracks) against the bare
 *   libopus encode of the same frame.
 * - 720p VP9 `broadcast` to 10: the call (encode once, queue for 10 pacers) against the bare VP9 encode.
 * - audio and 720p VP9 `sendToPeer` to one of them: the send-path targets (encode + < 0.3 ms, encode + < 2 ms)
 *   with the receiver's decoding off this process, as it is between two machines.
 * - the whole fan-out of one 720p frame: this process's CPU from the call to the next frame (encode, the
 *   pacers writing every packet to 10 connections through SRTP, RTCP, stats) against the CPU of the bare
 *   encode; the note gives the RTP packets sent per second per core of sender CPU.
 *
 * @since 0.1.0
 */
import { audio, video } from "@remotemedia/runtime-core"
import { Effect } from "effect"
import type { BenchSizes } from "../BenchSizes.ts"
import { audioCalls, FRAME_INTERVAL_MS, videoCalls, WARMUP_FRAMES } from "../measure/pacedCalls.ts"
import { cpuSecondsSince } from "../measure/timing.ts"
import { nextLine, spawnLineChild } from "../peers/childProcess.ts"
import { connectForSetUp, type LocalUrls, localSignaling, startedTransport } from "../peers/transports.ts"
import { type Figure, measured } from "../report/Figure.ts"
import { progress } from "../report/progress.ts"
import { testPattern } from "./videoSuite.ts"

const RATE = 48_000

/** Transports named `peerIds` in one child process, started and announced, for the scope's lifetime. */
const childReceivers = (peerIds: ReadonlyArray<string>, urls: LocalUrls) =>
  Effect.gen(function*() {
    const child = yield* spawnLineChild(new URL("../peers/childTransport.ts", import.meta.url), [peerIds.join(","), urls.signalingUrl, urls.stunUrl])
    yield* nextLine(child)
    return peerIds
  })

/** Broadcast figures with every receiver in another process. */
export const fanOutSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.scoped(Effect.gen(function*() {
    const peers = sizes.fanOutPeers
    const urls = yield* localSignaling({ rateLimit: 1_000_000 })
    const sources = testPattern(Math.min(sizes.videoFrames, 30))
    yield* progress(`fanout: ${peers} receivers in a child process`)
    const hub = yield* startedTransport("fanout-hub", urls)
    yield* hub.configure({ adaptiveBitrateEnabled: false })
    const receivers = yield* childReceivers(Array.from({ length: peers }, (_, i) => `fanout-peer${i}`), urls)
    yield* Effect.forEach(receivers, (id) => connectForSetUp(hub, id), { discard: true })
    const spec = (id: string, title: string, unit = "ms/frame") => ({ id, title, unit })

    yield* progress(`fanout: audio broadcast to ${peers}`)
    const sentAudio = yield* audioCalls(sizes.transportAudioFrames, (frame) => hub.broadcast(audio(frame, RATE)))

    yield* progress("fanout: sendToPeer to one peer in another process")
    const [first] = receivers
    const audioToOne = yield* audioCalls(sizes.transportAudioFrames, (frame) => hub.sendToPeer(first!, audio(frame, RATE)))
    const videoToOne = yield* videoCalls("VP9", sources, sizes.videoFrames, (frame) => hub.sendToPeer(first!, video(frame)))

    yield* progress(`fanout: video broadcast to ${peers}`)
    const packetsSent = Effect.map(hub.listPeers, (infos) => infos.reduce((sum, info) => sum + info.metrics.packetsSent, 0))
    const packetsBefore = yield* packetsSent
    const startedAt = performance.now()
    const cpuAtStart = process.cpuUsage()
    const sentVideo = yield* videoCalls("VP9", sources, sizes.videoFrames, (frame) => hub.broadcast(video(frame)))
    const seconds = (performance.now() - startedAt) / 1000
    // This process's CPU but the baseline's (its warm-up frames aside): the sender's, encode included.
    const senderCores = (cpuSecondsSince(cpuAtStart) - sentVideo.bareCpuMs.reduce((sum, ms) => sum + ms, 0) / 1000) / seconds
    // The metrics are read periodically: wait for a read that covers the run's last frame.
    yield* Effect.sleep("1500 millis")
    const packets = (yield* packetsSent) - packetsBefore
    const note = `${peers} receivers in a child process; ${Math.round(packets / (sizes.videoFrames + WARMUP_FRAMES))} RTP packets per frame to all peers, ` +
      `${Math.round(packets / seconds / senderCores)} packets/s per core of sender CPU (${senderCores.toFixed(2)} cores busy, encode included)`

    return [
      measured(spec("fanout.audio.sendToPeer", "audio sendToPeer to a peer in another process, 20 ms frame"), ["bare libopus encode", audioToOne.bareMs], ["sendToPeer", audioToOne.oursMs]),
      measured(spec("fanout.video.sendToPeer", "video 720p VP9 sendToPeer to a peer in another process (encode + queue)"), ["bare VP9 encode", videoToOne.bareMs], ["sendToPeer", videoToOne.oursMs]),
      measured(spec("fanout.audio.broadcast", `audio broadcast to ${peers} peers in another process, 20 ms frame`), ["bare libopus encode", sentAudio.bareMs], ["broadcast", sentAudio.oursMs]),
      measured(spec("fanout.video.broadcast", `video 720p VP9 broadcast to ${peers} peers in another process (encode + queue)`), ["bare VP9 encode", sentVideo.bareMs], ["broadcast", sentVideo.oursMs]),
      measured(
        { ...spec("fanout.video.cpuPerFrame", `video 720p VP9 to ${peers} peers in another process: sender CPU per frame (encode + fan-out)`, "CPU ms/frame"), note },
        ["bare VP9 encode CPU", sentVideo.bareCpuMs],
        [`frame interval (${FRAME_INTERVAL_MS.toFixed(1)} ms) from the call on`, sentVideo.oursCpuMs]
      )
    ]
  })).pipe(Effect.orDie)
