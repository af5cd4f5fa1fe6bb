/**
 * The pipeline examples' input: one second of a voice-like signal followed by one second of quiet hiss,
 * and a helper that measures each half of a processed copy.
 */
import { dominantFrequency, makeVoiceSignal, rms } from "../deps.ts"

export const sampleRate = 48_000

/** 1 s of voice (180 Hz fundamental), then 1 s of hiss at about -56 dBFS. */
export const voiceThenHiss = (): Float32Array => {
  const samples = new Float32Array(2 * sampleRate)
  samples.set(makeVoiceSignal({ sampleRate, fundamental: 180 }).next(sampleRate))
  let seed = 1
  for (let i = sampleRate; i < samples.length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    samples[i] = (seed / 2_147_483_648 - 0.5) * 0.005
  }
  return samples
}

const dbfs = (level: number) => (level > 0 ? `${(20 * Math.log10(level)).toFixed(1)} dBFS` : "silence")

/** A line per half: its level before and after, and the voice's pitch after processing. */
export const describeProcessing = (before: Float32Array, after: Float32Array): string => {
  const voiceIn = before.subarray(0, sampleRate)
  const voiceOut = after.subarray(0, sampleRate)
  const hissIn = before.subarray(sampleRate)
  const hissOut = after.subarray(sampleRate)
  return [
    `voice: ${dbfs(rms(voiceIn))} -> ${dbfs(rms(voiceOut))}, pitch ${dominantFrequency(voiceOut, sampleRate).toFixed(0)} Hz`,
    `hiss:  ${dbfs(rms(hissIn))} -> ${dbfs(rms(hissOut.subarray(sampleRate / 5)))} (after the gate's 200 ms release)`
  ].join("\n")
}
