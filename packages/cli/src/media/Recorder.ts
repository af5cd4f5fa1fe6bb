/**
 * `--record DIR`: each peer's received audio as `DIR/<peer>.wav`, its video as `DIR/<peer>-<W>x<H>.y4m`
 * (a new file whenever the resolution changes). Files are closed, and valid, when the scope closes.
 *
 * @since 0.1.0
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import type { RuntimeData } from "@remotemedia/runtime-core"
import { Effect, Match } from "effect"
import { RunFailed } from "../CliError.ts"
import { createWavFile, type WavFile } from "./WavFile.ts"
import { createY4mFile, type Y4mFile } from "./Y4mFile.ts"

/** Nominal frame rate written into `.y4m` headers. */
const nominalFps = 30

/** Writes received media to files. */
export interface Recorder {
  /** Appends `data` from `peerId`; fails with `RunFailed` naming the file when it cannot be written. */
  readonly record: (peerId: string, data: RuntimeData) => Effect.Effect<void, RunFailed>
}

/** A recorder into `dir` (created if missing) for the scope's lifetime. */
export const makeRecorder = (dir: string) =>
  Effect.gen(function*() {
    const audio = new Map<string, WavFile>()
    const video = new Map<string, Y4mFile>()
    const attempt = (path: string, write: () => void) =>
      Effect.try({
        try: write,
        catch: (error) => new RunFailed({ message: `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}` })
      })
    yield* attempt(dir, () => mkdirSync(dir, { recursive: true }))
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        for (const file of [...audio.values(), ...video.values()]) file.close()
      })
    )
    const record = (peerId: string, data: RuntimeData): Effect.Effect<void, RunFailed> =>
      Match.valueTags(data, {
        Audio: ({ samples, sampleRate, channels }) => {
          const path = join(dir, `${peerId}.wav`)
          return attempt(path, () => {
            let file = audio.get(peerId)
            if (file === undefined) {
              file = createWavFile(path, sampleRate, channels)
              audio.set(peerId, file)
            }
            file.append(samples)
          })
        },
        Video: ({ frame }) => {
          const path = join(dir, `${peerId}-${frame.width}x${frame.height}.y4m`)
          return attempt(path, () => {
            let file = video.get(peerId)
            if (file === undefined || file.width !== frame.width || file.height !== frame.height) {
              file?.close()
              file = createY4mFile(path, frame.width, frame.height, nominalFps)
              video.set(peerId, file)
            }
            file.append(frame)
          })
        },
        Text: () => Effect.void,
        Binary: () => Effect.void,
        Json: () => Effect.void
      })
    return { record } satisfies Recorder
  })
