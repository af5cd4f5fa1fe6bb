/**
 * The receiving end of one Opus stream, after the jitter buffer: packets come in sequence order, are
 * decoded in that order (the decoder is stateful, so decoding before reordering would be wrong), and every
 * short gap — packets lost, late or undecodable — is filled with libopus's concealment, so what comes out is
 * contiguous audio with contiguous timestamps. Concealed frames are marked.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { InvalidConfig } from "../../errors.ts"
import { type ReleasedPacket, ticksToConceal } from "./LossConcealment.ts"
import { OpusCodec } from "./OpusCodec.ts"
import { OPUS_SAMPLE_RATE, type OpusChannels } from "./OpusFormat.ts"

/** An encoded Opus packet on its way through the jitter buffer. */
export interface OpusPacket {
  readonly _tag: "OpusPacket"
  readonly payload: Uint8Array
}

/** A received packet, released in order. */
export interface ReleasedOpusPacket extends ReleasedPacket {
  readonly payload: Uint8Array
}

/** Decoded or concealed audio. */
export interface ReceivedAudio {
  /** Interleaved f32 samples at 48 kHz. */
  readonly samples: Float32Array
  /** RTP timestamp of the first sample. */
  readonly rtpTimestamp: number
  /** Made up by packet-loss concealment in place of audio that did not arrive. */
  readonly concealed: boolean
}

/** One stream's decoder with concealment. */
export interface OpusReceiver {
  /** The audio `packet` completes: concealment for the gap before it, if any, then its own. */
  readonly receive: (packet: ReleasedOpusPacket) => Effect.Effect<ReadonlyArray<ReceivedAudio>>
  /** Frames concealed so far. */
  readonly concealedFrames: () => number
}

/** A receiver decoding to `channels` channels. */
export const makeOpusReceiver = Effect.fn("OpusReceiver.make")(function*(channels: OpusChannels): Effect.fn.Return<OpusReceiver, InvalidConfig, OpusCodec> {
  const decoder = yield* (yield* OpusCodec).makeDecoder(channels)
  let previous: { readonly packet: ReleasedPacket; readonly ticks: number } | undefined
  let concealedFrames = 0

  /** Concealment for `ticks` of audio from `rtpTimestamp` on; shorter if libopus fails. */
  const conceal = (rtpTimestamp: number, ticks: number, out: Array<ReceivedAudio>) =>
    Effect.gen(function*() {
      let done = 0
      while (done < ticks) {
        const samples = yield* decoder.conceal().pipe(Effect.orElseSucceed(() => undefined))
        if (samples === undefined || samples.length === 0) return done
        out.push({ samples, rtpTimestamp: (rtpTimestamp + done) >>> 0, concealed: true })
        concealedFrames++
        done += samples.length / channels
      }
      return done
    })

  const receive = (packet: ReleasedOpusPacket) =>
    Effect.gen(function*() {
      const out: Array<ReceivedAudio> = []
      if (previous !== undefined) {
        const gap = ticksToConceal(previous.packet, previous.ticks, packet, OPUS_SAMPLE_RATE)
        if (gap > 0) yield* conceal((previous.packet.rtpTimestamp + previous.ticks) >>> 0, gap, out)
      }
      const decoded = yield* decoder.decode(packet.payload).pipe(Effect.orElseSucceed(() => undefined))
      // A packet that does not decode is lost all the same: conceal it, as long as a frame of the stream.
      const ticks = decoded === undefined
        ? yield* conceal(packet.rtpTimestamp, previous?.ticks ?? 1, out)
        : decoded.length / channels
      if (decoded !== undefined) out.push({ samples: decoded, rtpTimestamp: packet.rtpTimestamp, concealed: false })
      previous = { packet, ticks }
      return out
    })

  const receiver: OpusReceiver = { receive, concealedFrames: () => concealedFrames }
  return receiver
})
