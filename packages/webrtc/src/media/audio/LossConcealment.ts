/**
 * When received audio needs concealment (pure): between two packets released in order, the sequence
 * numbers say whether packets went missing (lost, or too late for the jitter buffer) and the RTP
 * timestamps say how much audio they carried. Short gaps are concealed; a longer one is a real hole
 * (concealment that long would be a drone, not speech), and so is a timeline that jumped (the sender
 * restarted its clock): then nothing is made up.
 *
 * A gap without missing sequence numbers is not loss: a sender in DTX sends nothing while it is silent.
 *
 * @since 0.1.0
 */

/** Longest run of missing audio that is concealed, in ms (six 20 ms frames). */
export const MAX_CONCEALED_MS = 120

/** A packet as released by the jitter buffer. */
export interface ReleasedPacket {
  /** Sequence number, extended past 16-bit wrap-around. */
  readonly extendedSeq: number
  /** 32-bit RTP timestamp. */
  readonly rtpTimestamp: number
}

/** The audio (in RTP ticks) to conceal before `next`, after `previous`, which decoded into `previousTicks` of audio. */
export const ticksToConceal = (previous: ReleasedPacket, previousTicks: number, next: ReleasedPacket, clockRate: number): number => {
  if (next.extendedSeq - previous.extendedSeq <= 1) return 0
  const missing = ((next.rtpTimestamp - previous.rtpTimestamp) >>> 0) - previousTicks
  return missing > 0 && missing <= (MAX_CONCEALED_MS * clockRate) / 1000 ? missing : 0
}
