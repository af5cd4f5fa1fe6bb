/**
 * The conference examples' participants: a voice per guest, each at its own pitch, in 20 ms frames, and
 * the pitch of what someone heard.
 */
import { concatSamples, dominantFrequency, makeVoiceSignal } from "../deps.ts"

export const sampleRate = 48_000
/** 20 ms at 48 kHz: one Opus frame. */
export const frameSamples = 960

/** Who talks, and at which fundamental. */
export const guests = { bob: 190, carol: 240 } as const

/** An endless voice at `fundamentalHz`, 20 ms per call. */
export const voice = (fundamentalHz: number): (() => Float32Array) => {
  const signal = makeVoiceSignal({ sampleRate, fundamental: fundamentalHz, harmonics: 4 })
  return () => signal.next(frameSamples)
}

/**
 * Promise style: sends `frames` 20 ms frames of a voice at `fundamentalHz` through `send`, one every 20 ms
 * like a microphone (the Effect examples use `Schedule.fixed("20 millis")`).
 */
export const talkPaced = async (send: (samples: Float32Array) => Promise<unknown>, fundamentalHz: number, frames = 100) => {
  const next = voice(fundamentalHz)
  const started = performance.now()
  for (let frame = 0; frame < frames; frame++) {
    await send(next())
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (frame + 1) * 20 - performance.now())))
  }
}

/** The dominant pitch of the frames someone heard, in Hz. */
export const pitchOf = (frames: ReadonlyArray<Float32Array>): number => Math.round(dominantFrequency(concatSamples(frames), sampleRate, 60))

/** The conference pipeline: gate each guest's noise floor, level, and send everyone the mix of the others. */
export const conferenceManifest = {
  pipeline: {
    nodes: [
      { id: "noise_gate", type: "NoiseGate", params: { thresholdDb: -50 } },
      { id: "gain", type: "Gain", params: { gainDb: 0 } },
      { id: "mixer", type: "Mixer", params: { mode: "mix-minus", alignment: "queue" } }
    ]
  }
}
