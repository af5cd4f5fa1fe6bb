/**
 * The demo's command line: parsed and checked in one pure step, so a bad flag is a clear message naming
 * it (and the usage), never a half-started conference.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import { Result, Schema } from "effect"

/** Video codecs the demo can send. */
export const DemoCodecs = ["VP9", "VP8", "H264"] as const
export type DemoCodec = typeof DemoCodecs[number]

/** Video sizes the demo can generate. */
export const DemoResolutions = { "720p": { width: 1280, height: 720 }, "480p": { width: 854, height: 480 } } as const
export type DemoResolution = keyof typeof DemoResolutions

/** What one run of the demo does. */
export interface DemoOptions {
  /** How long media and chat flow before the summary, in seconds. */
  readonly durationSeconds: number
  /** Transports in the mesh, 2 to 10 (alice, bob, carol, ...). */
  readonly peers: number
  readonly codec: DemoCodec
  readonly resolution: DemoResolution
  /** Frames per second of every peer's video. */
  readonly fps: number
  /** Also join the mesh from headless Chromium, through the web-client page. */
  readonly browser: boolean
  /** Print the summary as JSON only (no live view). */
  readonly json: boolean
  /** Write an HTML report of per-peer bitrate and RTT over time to this path. */
  readonly report: string | undefined
}

/** A flag was wrong; `message` names it and ends with the usage. */
export class DemoUsageError extends Schema.TaggedError<DemoUsageError>()("DemoUsageError", { message: Schema.String }) {}

export const usage = `usage: ./run demo [options]
  --duration <seconds>   how long the conference runs (default 15, 3..600)
  --peers <n>            transports in the mesh (default 3, 2..10)
  --codec <VP9|VP8|H264> video codec (default VP9)
  --resolution <480p|720p>  generated video size (default 480p; 720p needs a free core per peer)
  --fps <n>              video frames per second (default 10, 1..30)
  --browser              also join from headless Chromium through the browser page
  --json                 print a machine-readable summary instead of the live view
  --report <file.html>   write an HTML report of per-peer bitrate and RTT over time
  --help                 this text`

const integerIn = (flag: string, raw: string, min: number, max: number): Result.Result<number, DemoUsageError> => {
  const value = Number(raw)
  return Number.isInteger(value) && value >= min && value <= max
    ? Result.succeed(value)
    : Result.fail(new DemoUsageError({ message: `--${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}\n${usage}` }))
}

const oneOf = <A extends string>(flag: string, raw: string, allowed: ReadonlyArray<A>): Result.Result<A, DemoUsageError> =>
  allowed.includes(raw as A)
    ? Result.succeed(raw as A)
    : Result.fail(new DemoUsageError({ message: `--${flag} must be one of ${allowed.join(", ")}, got ${JSON.stringify(raw)}\n${usage}` }))

/** `"help"` when --help was given, else the options or the first problem. */
export const parseDemoOptions = (argv: ReadonlyArray<string>): Result.Result<DemoOptions | "help", DemoUsageError> => {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        duration: { type: "string", default: "15" },
        peers: { type: "string", default: "3" },
        codec: { type: "string", default: "VP9" },
        resolution: { type: "string", default: "480p" },
        fps: { type: "string", default: "10" },
        browser: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        report: { type: "string" },
        help: { type: "boolean", default: false }
      }
    })
  } catch (error) {
    return Result.fail(new DemoUsageError({ message: `${error instanceof Error ? error.message : String(error)}\n${usage}` }))
  }
  const { values } = parsed
  if (values.help) return Result.succeed("help")
  return Result.all({
    durationSeconds: integerIn("duration", values.duration, 3, 600),
    peers: integerIn("peers", values.peers, 2, 10),
    codec: oneOf("codec", values.codec, DemoCodecs),
    resolution: oneOf("resolution", values.resolution, Object.keys(DemoResolutions) as Array<DemoResolution>),
    fps: integerIn("fps", values.fps, 1, 30)
  }).pipe(Result.map((checked) => ({ ...checked, browser: values.browser, json: values.json, report: values.report })))
}

/** The peer ids of a mesh of `count` transports. */
export const peerNames = (count: number): ReadonlyArray<string> =>
  ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"].slice(0, Math.max(count, 0))
