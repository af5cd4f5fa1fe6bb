/**
 * The media each demo peer sends: its own voice-like signal (a distinct fundamental per peer, so every
 * receiver can tell who it hears) in 20 ms frames to the conference host, whose mix-minus session sends
 * each guest the mix of the others; and a moving test pattern broadcast to every connected peer. And the
 * receive side that files every decoded frame under its sender.
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
  /** The peer's voice and where it goes (the conference host), or nothing (the host itself only mixes). */
  readonly voice: { readonly fundamentalHz: number; readonly to: string } | undefined
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
 * Sends the peer's voice to the host every 20 ms and broadcasts its video at `plan.fps` until interrupted.
 * A send that reaches nobody or fails for some peers is not fatal: the figures show it.
 */
export const sendMedia = (transport: WebRtcTransportService, plan: MediaPlan) => {
  let index = 0
  const sendAudio = plan.voice === undefined ? Effect.void : talk(transport, plan.voice.fundamentalHz, plan.voice.to)
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

const talk = (transport: WebRtcTransportService, fundamentalHz: number, to: string) => {
  const voice = makeVoiceSignal({ sampleRate, fundamental: fundamentalHz, harmonics: 4 })
  return Effect.suspend(() => transport.sendToPeer(to, audio(voice.next(frameSamples), sampleRate, 1))).pipe(
    Effect.ignore,
    Effect.repeat(Schedule.fixed("20 millis"))
  )
}

/**
 * The conference pipeline the host runs over its guests' voices: gate each one's noise floor, level, and
 * send each guest the mix of all the others (mix-minus).
 */
export const conferenceManifest = {
  pipeline: {
    nodes: [
      { id: "noise_gate", type: "NoiseGate", params: { thresholdDb: -50 } },
      { id: "gain", type: "Gain", params: { gainDb: 0 } },
      // A guest only gets a mix for the rounds it contributes to: wait for late guests as long as the jitter
      // buffer does, so one guest's jitter does not cost it its mix.
      { id: "mixer", type: "Mixer", params: { mode: "mix-minus", alignment: "queue", windowMs: 200 } }
    ]
  }
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
