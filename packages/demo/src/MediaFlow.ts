/**
 * The media each demo peer sends: its own voice-like signal (a distinct fundamental per peer, so every
 * receiver can tell who it hears) in 20 ms frames, and a moving test pattern, both broadcast to every
 * connected peer; and the receive side that files every decoded frame under its sender.
 *
 * @since 0.1.0
 */
import { Effect, Schedule, Stream } from "effect"
import { audio, video, type VideoFrame } from "@remotemedia/runtime-core"
import { makeVoiceSignal, testPatternFrame } from "@remotemedia/signals"
import type { WebRtcTransportService } from "@remotemedia/webrtc"
import type { MediaReceipts } from "./MediaReceipts.ts"

/** Voice fundamentals in Hz, one per peer in mesh order, far enough apart to be told apart. */
export const voiceFundamentals: ReadonlyArray<number> = [150, 190, 240, 300, 370, 450, 540, 640, 760, 900]

/** The browser page's oscillator, apart from every voice. */
export const browserToneHz = 1_100

const sampleRate = 48_000
const frameSamples = 960

/** What one peer sends. */
export interface MediaPlan {
  readonly fundamentalHz: number
  /** The video loop (see {@link videoLoop}), sent round and round. */
  readonly frames: ReadonlyArray<VideoFrame>
  readonly fps: number
}

/**
 * One second of the moving test pattern, drawn once and shared by every peer: drawing a 720p frame in
 * JavaScript costs about as much as encoding it, so the senders replay this loop (restamped) instead.
 */
export const videoLoop = (width: number, height: number, fps: number): ReadonlyArray<VideoFrame> =>
  Array.from({ length: fps }, (_, index) => testPatternFrame(width, height, index, fps))

/**
 * Broadcasts the peer's voice every 20 ms and its video at `plan.fps` until interrupted. A broadcast that
 * reaches nobody (no peer connected yet) or fails for some peers is not fatal: the figures show it.
 */
export const sendMedia = (transport: WebRtcTransportService, plan: MediaPlan) => {
  const voice = makeVoiceSignal({ sampleRate, fundamental: plan.fundamentalHz, harmonics: 4 })
  let index = 0
  const sendAudio = Effect.suspend(() => transport.broadcast(audio(voice.next(frameSamples), sampleRate, 1))).pipe(
    Effect.ignore,
    Effect.repeat(Schedule.fixed("20 millis"))
  )
  const sendVideo = Effect.suspend(() => {
    const frame = plan.frames[index % plan.frames.length]!
    // Same planes (no copy), a timestamp that keeps moving forward.
    return transport.broadcast(video({ ...frame, timestampUs: (index++ * 1_000_000) / plan.fps }))
  }).pipe(
    Effect.ignore,
    Effect.repeat(Schedule.fixed(`${Math.round(1000 / plan.fps)} millis`))
  )
  return Effect.all([sendAudio, sendVideo], { concurrency: 2, discard: true })
}

/** Files every frame `transport` decodes under its sender, until interrupted. */
export const receiveMedia = (transport: WebRtcTransportService, receipts: MediaReceipts) =>
  transport.incoming.pipe(
    Stream.runForEach(({ peerId, data }) =>
      Effect.sync(() => {
        if (data._tag === "Audio") receipts.audio(peerId, data.samples, data.channels)
        else receipts.video(peerId, data.frame.width, data.frame.height)
      })
    )
  )
