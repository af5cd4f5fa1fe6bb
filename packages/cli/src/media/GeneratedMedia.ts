/**
 * `--tone HZ` and `--pattern WxH@FPS`: endless generated media, produced in real time (one 20 ms audio
 * frame per 20 ms, one video frame per 1/FPS s).
 *
 * @since 0.1.0
 */
import { audio, type RuntimeData, video } from "@remotemedia/runtime-core"
import { makeSineTone, testPatternFrame } from "@remotemedia/signals"
import { Stream } from "effect"
import type { PatternSpec } from "../options/CliOptions.ts"

const sampleRate = 48_000
const frameMs = 20
const samplesPerFrame = (sampleRate * frameMs) / 1000

/** A phase-continuous sine of `hz`, 48 kHz mono, in 20 ms frames. */
export const toneFeed = (hz: number): Stream.Stream<RuntimeData> => {
  const tone = makeSineTone({ frequency: hz, sampleRate, amplitude: 0.5 })
  return Stream.tick(`${frameMs} millis`).pipe(
    Stream.mapAccum(() => 0, (index) => [index + 1, [audio(tone.next(samplesPerFrame), sampleRate, 1, index * frameMs * 1000)]])
  )
}

/** The moving test pattern at the spec's size and rate. */
export const patternFeed = ({ width, height, fps }: PatternSpec): Stream.Stream<RuntimeData> =>
  Stream.tick(`${1000 / fps} millis`).pipe(
    Stream.mapAccum(() => 0, (index) => [index + 1, [video(testPatternFrame(width, height, index, fps))]])
  )
