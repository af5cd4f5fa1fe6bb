/**
 * `Mixer`: N audio sources in, mixes out.
 *
 * Sources are told apart by the upstream node when the Mixer has several incoming edges (graph fan-in),
 * otherwise by metadata `peer_id` (a session fed by several peers). Each source is re-framed to
 * `frameMs`, and each frame's `timestampUs` is snapped to the mix's frame grid (anchored at the first
 * timestamp the Mixer sees), so frames up to half a frame apart share a slot. Slots are aligned in a
 * `FrameAligner`: a slot is mixed as soon as every source has delivered it, or once some source is
 * `windowMs` ahead (a stalled or late source is waited for at most `windowMs`; its frames for slots
 * already mixed are dropped). With graph fan-in the wait is at least 1 s: branches of one session do not
 * stall on their own, they only run at different paces.
 * - `mode: "mix"` emits one sum per aligned round.
 * - `mode: "mix-minus"` emits, for each contributing source, the sum of all OTHER sources of the round,
 *   with metadata `to` = that source (everyone hears everyone but themselves).
 * With `alignment: "queue"` (for live peers, whose frames are dated with jitter) slots are not matched by
 * timestamp: each source keeps a small FIFO (`FifoAligner`) and each round mixes the oldest pending frame of
 * every source, once every active source has one or the oldest has waited `windowMs` of wall-clock time. A
 * source silent for `idleMs` is no longer waited for; a FIFO holds at most `windowMs / frameMs + 2` frames
 * (on overflow its oldest frame is dropped, bounding the latency a bursty source can add).
 * At end of input, partial frames are mixed too. Sums are clamped to [-1, 1]. All sources must share one sample rate and channel count (put a `Resample`
 * in front otherwise). Audio without timestamps is dated from the source's first frame onwards.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { audio, type Audio, isAudio } from "../../data/RuntimeData.ts"
import { PEER_ID, TO, TransportData } from "../../data/TransportData.ts"
import { FifoAligner } from "../../mixing/FifoAligner.ts"
import { FrameAligner, type Round } from "../../mixing/FrameAligner.ts"
import { defineNode } from "../NodeDefinition.ts"
import { choice, positive } from "../params.ts"
import { TimedChunker } from "../../dsp/TimedChunker.ts"

/** How far (in stream time) one graph branch may run ahead of another before the Mixer stops waiting. */
const FAN_IN_MAX_WAIT_US = 1_000_000

/** Sums `frames` (skipping `exclude`) into a new buffer of `length`, clamped to [-1, 1]. */
const sum = (frames: Round<Audio>["frames"], length: number, exclude?: string): Float32Array => {
  const out = new Float32Array(length)
  for (const f of frames) {
    if (f.source === exclude) continue
    const x = f.value.samples
    for (let i = 0; i < x.length; i++) out[i]! += x[i]!
  }
  for (let i = 0; i < length; i++) out[i] = Math.max(-1, Math.min(1, out[i]!))
  return out
}

/** How the Mixer groups its sources' frames into rounds. */
interface Alignment {
  readonly push: (source: string, timestampUs: number, frame: Audio) => Array<Round<Audio>>
  readonly flush: () => Array<Round<Audio>>
  /** Timestamp of the last mixed round (−Infinity before the first): where a source without timestamps joins. */
  readonly lastReleasedUs: () => number
}

/** Rounds by timestamp: each frame is snapped to the mix's grid (anchored at the first timestamp seen). */
const timestampAlignment = (windowMs: number, frameUs: number, upstreamCount: number): Alignment => {
  const aligner = new FrameAligner<Audio>(frameUs, {
    // Graph branches cannot stall on their own, they only run at different paces: wait longer for them.
    maxWaitUs: Math.max(windowMs * 1000, frameUs, upstreamCount > 1 ? FAN_IN_MAX_WAIT_US : 0),
    minSources: upstreamCount > 1 ? upstreamCount : 1
  })
  let gridOriginUs: number | undefined
  const snap = (ts: number) => {
    gridOriginUs ??= ts
    return gridOriginUs + Math.round((ts - gridOriginUs) / frameUs) * frameUs
  }
  return {
    push: (source, timestampUs, frame) => aligner.push(source, snap(timestampUs), frame),
    flush: () => aligner.flush(),
    lastReleasedUs: () => aligner.lastReleasedUs
  }
}

/** Rounds by arrival: the oldest pending frame of every source, waiting at most `windowMs` of wall-clock time. */
const queueAlignment = (windowMs: number, frameMs: number, idleMs: number): Alignment => {
  const aligner = new FifoAligner<Audio>({ maxWaitMs: windowMs, idleMs, maxQueue: Math.max(2, Math.ceil(windowMs / frameMs) + 2) })
  let lastReleasedUs = Number.NEGATIVE_INFINITY
  const track = (rounds: Array<Round<Audio>>) => {
    for (const r of rounds) lastReleasedUs = Math.max(lastReleasedUs, r.timestampUs)
    return rounds
  }
  return {
    push: (source, timestampUs, frame) => track(aligner.push(source, timestampUs, frame, performance.now())),
    flush: () => track(aligner.flush()),
    lastReleasedUs: () => lastReleasedUs
  }
}

export const Mixer = defineNode({
  type: "Mixer",
  params: Schema.Struct({
    mode: choice(["mix", "mix-minus"], "mix"),
    alignment: choice(["timestamp", "queue"], "timestamp"),
    windowMs: positive(20),
    frameMs: positive(20),
    idleMs: positive(1000)
  }),
  make: ({ alignment, frameMs, idleMs, mode, windowMs }, { nodeId, upstreamCount }) => {
    const frameUs = frameMs * 1000
    const align = alignment === "queue" ? queueAlignment(windowMs, frameMs, idleMs) : timestampAlignment(windowMs, frameUs, upstreamCount)
    const chunkers = new Map<string, TimedChunker>()
    let format: { readonly sampleRate: number; readonly channels: number } | undefined

    const mixRound = (round: Round<Audio>): Array<TransportData> => {
      const { channels, sampleRate } = format!
      const length = Math.max(...round.frames.map((f) => f.value.samples.length))
      const make = (samples: Float32Array, metadata: Record<string, string>) =>
        TransportData.make(audio(samples, sampleRate, channels, round.timestampUs), { metadata })
      return mode === "mix"
        ? [make(sum(round.frames, length), {})]
        : round.frames.map((f) => make(sum(round.frames, length, f.source), { [TO]: f.source }))
    }

    return {
      process: (input, from) => {
        const a = input.data
        if (!isAudio(a)) return [input]
        const source = upstreamCount > 1 ? from : input.metadata[PEER_ID] ?? from
        format ??= { sampleRate: a.sampleRate, channels: a.channels }
        if (a.sampleRate !== format.sampleRate || a.channels !== format.channels) {
          throw new Error(
            `${nodeId}: source "${source}" sends ${a.sampleRate} Hz × ${a.channels} ch, but the mix is ` +
              `${format.sampleRate} Hz × ${format.channels} ch (put a Resample node in front)`
          )
        }
        let chunker = chunkers.get(source)
        if (chunker === undefined) {
          chunker = new TimedChunker(frameMs, a.sampleRate, a.channels)
          chunkers.set(source, chunker)
        }
        // A source without timestamps joins at the mix's current position.
        const joinAt = Math.max(0, align.lastReleasedUs() + frameUs)
        const out: Array<TransportData> = []
        for (const frame of chunker.push(a, joinAt)) {
          for (const round of align.push(source, frame.timestampUs ?? joinAt, frame)) out.push(...mixRound(round))
        }
        return out
      },
      flush: () => {
        const out: Array<TransportData> = []
        for (const [source, chunker] of chunkers) {
          const rest = chunker.flush()
          if (rest !== undefined) for (const round of align.push(source, rest.timestampUs ?? 0, rest)) out.push(...mixRound(round))
        }
        for (const round of align.flush()) out.push(...mixRound(round))
        return out
      }
    }
  }
})
