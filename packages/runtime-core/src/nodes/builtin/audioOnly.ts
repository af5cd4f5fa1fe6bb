/**
 * Audio nodes transform `Audio` and let every other kind of data through untouched, so text and control
 * messages can share a pipeline with media.
 *
 * @since 0.1.0
 */
import { type Audio, isAudio } from "../../data/RuntimeData.ts"
import { TransportData } from "../../data/TransportData.ts"

/** Applies `f` to audio input; passes anything else on as is. */
export const mapAudio = (input: TransportData, f: (audio: Audio) => Audio): ReadonlyArray<TransportData> =>
  isAudio(input.data) ? [TransportData.withData(input, f(input.data))] : [input]

/** A fresh buffer with `audio`'s samples multiplied by `gain` (inputs are shared, never written to). */
export const scaled = (samples: Float32Array, gain: number): Float32Array => {
  const out = new Float32Array(samples.length)
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! * gain
  return out
}
