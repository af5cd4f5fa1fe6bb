/**
 * `VAD`: energy-based voice activity detection. Each audio frame's RMS level is compared with `thresholdDb`;
 * speech starts on the first frame above it and stops after `hangoverMs` of frames below it. Emits
 * `Json` events `{ event: "speech_start" | "speech_stop", timestampUs?, levelDb }`; with `emitAudio: true`
 * the audio is passed on as well. Non-audio input passes through.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { isAudio, json } from "../../data/RuntimeData.ts"
import { TransportData } from "../../data/TransportData.ts"
import { gainToDb, rms } from "../../dsp/decibels.ts"
import { defineNode } from "../NodeDefinition.ts"
import { number, positive } from "../params.ts"

export const VAD = defineNode({
  type: "VAD",
  params: Schema.Struct({
    thresholdDb: number(-40),
    hangoverMs: positive(200),
    emitAudio: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(false)))
  }),
  make: ({ emitAudio, hangoverMs, thresholdDb }) => {
    let speaking = false
    let quietMs = 0
    return {
      process: (input) => {
        const a = input.data
        if (!isAudio(a)) return [input]
        const levelDb = gainToDb(rms(a.samples))
        const frameMs = (a.samples.length / a.channels / a.sampleRate) * 1000
        const event = (name: string) =>
          TransportData.withData(input, json({ event: name, timestampUs: a.timestampUs, levelDb }))
        const out: Array<TransportData> = emitAudio ? [input] : []
        if (levelDb >= thresholdDb) {
          quietMs = 0
          if (!speaking) {
            speaking = true
            out.push(event("speech_start"))
          }
        } else if (speaking) {
          quietMs += frameMs
          if (quietMs >= hangoverMs) {
            speaking = false
            out.push(event("speech_stop"))
          }
        }
        return out
      }
    }
  }
})
