/**
 * `Resample`: converts audio of any rate to `targetRate` (default 48 000 Hz); audio already at the target
 * passes through untouched. A rate or channel-count change mid-stream starts a fresh converter.
 * Output frames keep the input frame's timestamp; the filter's latency (`Resampler.delayUs`, 1–4 ms) is
 * not subtracted, since it is far below any alignment window downstream.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { audio } from "../../data/RuntimeData.ts"
import { Resampler } from "../../dsp/Resampler.ts"
import { defineNode } from "../NodeDefinition.ts"
import { positive } from "../params.ts"
import { mapAudio } from "./audioOnly.ts"

export const Resample = defineNode({
  type: "Resample",
  params: Schema.Struct({ targetRate: positive(48_000).check(Schema.isInt()) }),
  make: ({ targetRate }) => {
    let resampler: Resampler | undefined
    return {
      process: (input) =>
        mapAudio(input, (a) => {
          if (a.sampleRate === targetRate) return a
          if (resampler === undefined || resampler.inRate !== a.sampleRate || resampler.channels !== a.channels) {
            resampler = new Resampler(a.sampleRate, targetRate, a.channels)
          }
          return audio(resampler.process(a.samples), targetRate, a.channels, a.timestampUs)
        })
    }
  }
})
