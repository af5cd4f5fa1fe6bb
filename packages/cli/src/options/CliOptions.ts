/**
 * The command line of `remotemedia-peer`, parsed into `CliOptions`: a pure function of `argv`, so every
 * rule (required flags, ranges, which flags exclude each other) is unit-tested without a process.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import * as Result from "effect/Result"
import { UsageError } from "../CliError.ts"

/** Video codecs `--codec` accepts, as the transport names them. */
export type VideoCodecChoice = "VP9" | "H264" | "VP8"

/** What this peer sends as media. */
export type MediaSource =
  | { readonly _tag: "Generated"; readonly toneHz: number | undefined; readonly pattern: PatternSpec | undefined }
  | { readonly _tag: "File"; readonly path: string }

/** `--pattern WxH@FPS`. */
export interface PatternSpec {
  readonly width: number
  readonly height: number
  readonly fps: number
}

/** Every flag of `remotemedia-peer`, validated. */
export interface CliOptions {
  readonly signalingUrl: string
  readonly peerId: string
  readonly stunUrls: ReadonlyArray<string>
  readonly turnUrls: ReadonlyArray<string>
  readonly turnUsername: string | undefined
  readonly turnCredential: string | undefined
  readonly token: string | undefined
  /** Peers to offer to; empty = answer whoever connects. */
  readonly connect: ReadonlyArray<string>
  readonly maxPeers: number | undefined
  /** Seconds a connection may take to establish (either direction). */
  readonly connectTimeoutS: number | undefined
  /** `loopback` pairs only 127.0.0.1 candidates (single machine, tests); `any` every interface. */
  readonly candidateHosts: "loopback" | "any"
  readonly media: MediaSource | undefined
  readonly codec: VideoCodecChoice
  readonly bitrateKbps: number | undefined
  readonly recordDir: string | undefined
  readonly echo: boolean
  readonly say: string | undefined
  /** Send stdin lines as text messages (default: when stdin is a terminal). */
  readonly interactive: boolean
  readonly pipeline: string | undefined
  readonly json: boolean
  readonly durationS: number | undefined
  readonly expectAudio: boolean
  readonly expectVideo: boolean
  readonly expectData: boolean
  readonly help: boolean
}

/** The help text; `--help` prints it, usage errors point to it. */
export const usage = `usage: remotemedia-peer --signaling ws://HOST:PORT --id NAME --stun stun:HOST:PORT [options]

connection
  --signaling URL        signaling server (ws:// or wss://)
  --id NAME              this peer's id ([A-Za-z0-9_-]{1,64})
  --stun URL             STUN server, repeatable; at least one (no public fallback is ever used)
  --turn URL             TURN relay (turn:HOST:PORT[?transport=udp|tcp]), repeatable
  --turn-user NAME       TURN username, for every --turn
  --turn-credential PW   TURN credential, for every --turn
  --token T              announce token, when the server has a secret
  --connect PEER         offer to PEER, repeatable; without it, answer whoever connects
  --max-peers N          at most N connections (1-64, default 10)
  --connect-timeout S    seconds a connection may take to establish (0.1-60, default 10)
  --ice-hosts any|loopback  candidate addresses to pair (default any; loopback for one machine)

media out
  --tone HZ              send an Opus sine tone of HZ (20-20000)
  --pattern WxH@FPS      send a moving test pattern, e.g. 640x360@30
  --send FILE            send an audio/video file (instead of --tone/--pattern)
  --codec vp9|h264|vp8   video codec (default vp9)
  --bitrate KBPS         video target bitrate in kbit/s

media in
  --record DIR           write each peer's audio as DIR/<peer>.wav and video as DIR/<peer>/NNNNN.yuv
  --pipeline FILE        run received media through the manifest FILE and send its output

data
  --echo                 send every data-channel message back to its sender
  --say TEXT             send TEXT to each peer when it connects
  --interactive          send stdin lines as text messages (default when stdin is a terminal)

run
  --json                 one JSON object per second on stdout (and a final summary object)
  --duration S           exit by itself S seconds after connecting, with a summary
  --expect-audio         exit 5 unless every connected peer's audio arrived
  --expect-video         exit 5 unless every connected peer's video arrived
  --expect-data          exit 5 unless every connected peer sent a data message
  --help                 this text

exit codes: 0 ok, 2 bad arguments, 3 signaling unreachable or lost, 4 a peer was unknown or failed,
5 expected media or data did not arrive, 1 anything else`

const flags = {
  signaling: { type: "string" },
  id: { type: "string" },
  stun: { type: "string", multiple: true },
  turn: { type: "string", multiple: true },
  "turn-user": { type: "string" },
  "turn-credential": { type: "string" },
  token: { type: "string" },
  connect: { type: "string", multiple: true },
  "max-peers": { type: "string" },
  "connect-timeout": { type: "string" },
  "ice-hosts": { type: "string" },
  tone: { type: "string" },
  pattern: { type: "string" },
  send: { type: "string" },
  codec: { type: "string" },
  bitrate: { type: "string" },
  record: { type: "string" },
  pipeline: { type: "string" },
  echo: { type: "boolean" },
  say: { type: "string" },
  interactive: { type: "boolean" },
  json: { type: "boolean" },
  duration: { type: "string" },
  "expect-audio": { type: "boolean" },
  "expect-video": { type: "boolean" },
  "expect-data": { type: "boolean" },
  help: { type: "boolean" }
} as const

/** Thrown inside `parse` only, turned into a `UsageError` at its boundary. */
class BadFlag extends Error {}

const numberIn = (flag: string, raw: string | undefined, minimum: number, maximum: number, integer: boolean) => {
  if (raw === undefined) return undefined
  const value = Number(raw)
  const valid = raw.trim() !== "" && Number.isFinite(value) && (!integer || Number.isInteger(value))
  if (!valid || value < minimum || value > maximum) {
    const kind = integer ? "an integer" : "a number"
    throw new BadFlag(`--${flag} must be ${kind} from ${minimum} to ${maximum}, got ${JSON.stringify(raw)}`)
  }
  return value
}

const patternRe = /^(\d{1,5})x(\d{1,5})@(\d{1,3})$/

/** Parses `WxH@FPS`: even sizes (I420 chroma) from 16x16 to 3840x2160, 1 to 120 fps. */
export const parsePattern = (raw: string): PatternSpec => {
  const match = patternRe.exec(raw)
  const [width, height, fps] = match === null ? [] : [Number(match[1]), Number(match[2]), Number(match[3])]
  if (width === undefined || height === undefined || fps === undefined) {
    throw new BadFlag(`--pattern must look like 640x360@30, got ${JSON.stringify(raw)}`)
  }
  if (width < 16 || height < 16 || width > 3840 || height > 2160 || width % 2 !== 0 || height % 2 !== 0) {
    throw new BadFlag(`--pattern size must be even, from 16x16 to 3840x2160, got ${width}x${height}`)
  }
  if (fps < 1 || fps > 120) throw new BadFlag(`--pattern frame rate must be 1 to 120, got ${fps}`)
  return { width, height, fps }
}

const codecs: Record<string, VideoCodecChoice> = { vp9: "VP9", h264: "H264", vp8: "VP8" }

const required = (flag: string, value: string | undefined): string => {
  if (value === undefined || value === "") throw new BadFlag(`--${flag} is required`)
  return value
}

const parse = (argv: ReadonlyArray<string>, stdinIsTerminal: boolean): CliOptions => {
  const { values, positionals } = parseArgs({ args: [...argv], options: flags, strict: true, allowPositionals: true })
  if (positionals.length > 0) throw new BadFlag(`unexpected argument ${JSON.stringify(positionals[0])}`)
  const help = values.help === true
  const codecName = values.codec ?? "vp9"
  const codec = codecs[codecName.toLowerCase()]
  if (codec === undefined) throw new BadFlag(`--codec must be vp9, h264 or vp8, got ${JSON.stringify(codecName)}`)
  const iceHosts = values["ice-hosts"] ?? "any"
  if (iceHosts !== "any" && iceHosts !== "loopback") {
    throw new BadFlag(`--ice-hosts must be any or loopback, got ${JSON.stringify(iceHosts)}`)
  }
  if (values.send !== undefined && (values.tone !== undefined || values.pattern !== undefined)) {
    throw new BadFlag("--send cannot be combined with --tone or --pattern")
  }
  const toneHz = numberIn("tone", values.tone, 20, 20_000, false)
  const pattern = values.pattern === undefined ? undefined : parsePattern(values.pattern)
  const media: MediaSource | undefined = values.send !== undefined
    ? { _tag: "File", path: values.send }
    : toneHz !== undefined || pattern !== undefined
    ? { _tag: "Generated", toneHz, pattern }
    : undefined
  const stunUrls = values.stun ?? []
  if (!help && stunUrls.length === 0) {
    throw new BadFlag("--stun is required (at least one; remotemedia-peer never falls back to a public STUN server)")
  }
  return {
    signalingUrl: help ? "" : required("signaling", values.signaling),
    peerId: help ? "" : required("id", values.id),
    stunUrls,
    turnUrls: values.turn ?? [],
    turnUsername: values["turn-user"],
    turnCredential: values["turn-credential"],
    token: values.token,
    connect: values.connect ?? [],
    maxPeers: numberIn("max-peers", values["max-peers"], 1, 64, true),
    connectTimeoutS: numberIn("connect-timeout", values["connect-timeout"], 0.1, 60, false),
    candidateHosts: iceHosts,
    media,
    codec,
    bitrateKbps: numberIn("bitrate", values.bitrate, 16, 50_000, true),
    recordDir: values.record,
    echo: values.echo === true,
    say: values.say,
    interactive: values.interactive ?? stdinIsTerminal,
    pipeline: values.pipeline,
    json: values.json === true,
    durationS: numberIn("duration", values.duration, 0.1, 86_400, false),
    expectAudio: values["expect-audio"] === true,
    expectVideo: values["expect-video"] === true,
    expectData: values["expect-data"] === true,
    help
  }
}

/**
 * Parses `argv` (without `node` and the script). Fails with a `UsageError` whose message is one line naming
 * the flag that was wrong.
 */
export const parseCliOptions = (argv: ReadonlyArray<string>, stdinIsTerminal = false): Result.Result<CliOptions, UsageError> => {
  try {
    return Result.succeed(parse(argv, stdinIsTerminal))
  } catch (error) {
    // parseArgs throws TypeErrors with a code (ERR_PARSE_ARGS_*) for unknown flags and missing values.
    if (error instanceof BadFlag || (error instanceof TypeError && "code" in error)) {
      return Result.fail(new UsageError({ message: error.message }))
    }
    throw error
  }
}
