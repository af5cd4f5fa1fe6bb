/**
 * `Gain`: scales audio by `gainDb` decibels (default 0 dB).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { audio } from "../../data/RuntimeData.ts"
import { dbToGain } from "../../dsp/decibels.ts"
import { defineNode } from "../NodeDefinition.ts"
import { number } from "../params.ts"
import { mapAudio, scaled } from "./audioOnly.ts"

export const Gain = defineNode({
  type: "Gain",
  params: Schema.Struct({ gainDb: number(0) }),
  make: ({ gainDb }) => {
    const gain = dbToGain(gainDb)
    return {
      process: (input) => mapAudio(input, (a) => audio(scaled(a.samples, gain), a.sampleRate, a.channels, a.timestampUs))
    }
  }
})
