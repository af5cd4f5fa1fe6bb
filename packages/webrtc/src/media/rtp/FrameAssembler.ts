/**
 * Receive-side frame assembly for video RTP: packets are ordered by (extended) sequence number and a frame
 * is released when every packet from the previous frame's marker up to its own marker is present. A gap
 * that later frames overtake is a lost frame: the assembler drops what it cannot complete, resynchronises
 * on the next marker, and flags the next released frame `afterLoss` (the decoder then needs a keyframe).
 *
 * @since 0.1.0
 */
import type { RtpPacket } from "werift"
import { SequenceUnwrapper } from "../../sync/SequenceUnwrapper.ts"

/** The packets of one complete frame, in sequence order. */
export interface AssembledFrame {
  readonly timestamp: number
  readonly packets: ReadonlyArray<RtpPacket>
  /** Frames were lost just before this one: its references may be gone. */
  readonly afterLoss: boolean
}

/** Options of a {@link FrameAssembler}. */
export interface FrameAssemblerOptions {
  /**
   * How many later frames may arrive complete (marker seen) behind a gap before the gap counts as loss;
   * more waits longer for reordered packets and retransmissions (NACK). 1 by default.
   */
  readonly lossAfterFrames?: number
  /** Packets held while waiting before the oldest are given up; 2048 by default. */
  readonly maxBufferedPackets?: number
}

/** Assembles one RTP stream's frames. */
export interface FrameAssembler {
  /** Adds a packet and returns the frames it completed, oldest first. */
  readonly push: (packet: RtpPacket) => ReadonlyArray<AssembledFrame>
  /** Frames given up as lost so far (each loss event counts once, however many frames it spans). */
  readonly lossEvents: () => number
}

/** Creates an assembler for one stream. */
export const makeFrameAssembler = (options: FrameAssemblerOptions = {}): FrameAssembler => {
  const lossAfterFrames = options.lossAfterFrames ?? 1
  const maxBuffered = options.maxBufferedPackets ?? 2048
  const unwrapper = new SequenceUnwrapper(16)
  const buffer = new Map<number, RtpPacket>()
  let next: number | undefined
  let afterLoss = false
  let losses = 0

  const releaseReady = (out: Array<AssembledFrame>): void => {
    for (;;) {
      if (next === undefined) return
      const packets: Array<RtpPacket> = []
      let seq = next
      let packet = buffer.get(seq)
      while (packet !== undefined && !packet.header.marker) {
        packets.push(packet)
        packet = buffer.get(++seq)
      }
      if (packet === undefined) return
      packets.push(packet)
      for (let s = next; s <= seq; s++) buffer.delete(s)
      next = seq + 1
      out.push({ timestamp: packet.header.timestamp, packets, afterLoss })
      afterLoss = false
    }
  }

  // Markers buffered behind the gap, in sequence order.
  const markersAhead = (): Array<number> => {
    const markers: Array<number> = []
    for (const [seq, packet] of buffer) if (packet.header.marker) markers.push(seq)
    return markers.sort((a, b) => a - b)
  }

  const giveUpGap = (): void => {
    const markers = markersAhead()
    const resyncAfter = markers.length > lossAfterFrames ? markers[0] : buffer.size > maxBuffered ? Math.max(...buffer.keys()) : undefined
    if (resyncAfter === undefined) return
    for (const seq of buffer.keys()) if (seq <= resyncAfter) buffer.delete(seq)
    next = resyncAfter + 1
    afterLoss = true
    losses++
  }

  return {
    push: (packet) => {
      const seq = unwrapper.unwrap(packet.header.sequenceNumber)
      next ??= seq
      // Late or duplicate: its frame was released or given up already.
      if (seq < next || buffer.has(seq)) return []
      buffer.set(seq, packet)
      const out: Array<AssembledFrame> = []
      releaseReady(out)
      // Anything still buffered waits behind a gap.
      if (buffer.size > 0) {
        giveUpGap()
        releaseReady(out)
      }
      return out
    },
    lossEvents: () => losses
  }
}
