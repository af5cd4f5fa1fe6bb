/**
 * Settings of the reliable data channel and of the SCTP association under it.
 *
 * @since 0.1.0
 */
import { FRAME_HEADER_BYTES } from "./frameCodec.ts"
import { defaultReassemblyLimits, type ReassemblyLimits } from "./Reassembler.ts"

/** The negotiated channel both ends create (see the wire format in `frameCodec.ts`). */
export const DATA_CHANNEL_LABEL = "remotemedia"
/** SCTP stream id of the negotiated channel, the same on both ends whatever the DTLS or ICE roles. */
export const DATA_CHANNEL_ID = 0

/** The `createDataChannel` options both ends use (werift and browsers alike). */
export const dataChannelInit = { negotiated: true, id: DATA_CHANNEL_ID, ordered: true } as const

/** Tuning of one reliable data channel. */
export interface DataChannelOptions {
  /**
   * Largest frame handed to the SCTP stack, header included. Clamped at run time to the remote's
   * `a=max-message-size` (werift announces 65536, Chromium 262144).
   */
  readonly maxFrameBytes: number
  /**
   * In-flight window: a send waits while werift holds more than this many unsent bytes
   * (`bufferedAmount`). werift's SCTP sends one queued message at a time and its queue scales badly,
   * so the window is a few frames.
   */
  readonly highWaterBytes: number
  /** `bufferedAmountLowThreshold`: a waiting send resumes once werift's backlog drains to this. */
  readonly lowWaterBytes: number
  /**
   * Payload bytes that may wait for the window, over all pending sends. A send that would exceed it fails
   * with `SendBufferFull` (a single message always fits an empty queue).
   */
  readonly maxQueuedBytes: number
  /**
   * Payload bytes of sent messages kept until the remote acknowledges them, to send again after a
   * re-connection. Beyond it the oldest are let go (counted as `unprotected`); sends never wait for acks.
   */
  readonly maxRetainedBytes: number
  /** Received messages not yet taken from `messages`; beyond it messages are dropped and reported. */
  readonly maxReceiveBacklogBytes: number
  /** Bounds on partial messages held for reassembly. */
  readonly reassembly: ReassemblyLimits
}

const DEFAULT_FRAME_BYTES = 65536 + FRAME_HEADER_BYTES

/**
 * Defaults, measured with the data-channel suite of `packages/bench`: 64 KiB of payload per frame, and a window of two
 * frames in werift's queue that refills when one is left, so SCTP never idles while a send resumes.
 */
export const defaultDataChannelOptions: DataChannelOptions = {
  maxFrameBytes: DEFAULT_FRAME_BYTES,
  highWaterBytes: 2 * DEFAULT_FRAME_BYTES,
  lowWaterBytes: DEFAULT_FRAME_BYTES,
  maxQueuedBytes: 32 * 1024 * 1024,
  maxRetainedBytes: 32 * 1024 * 1024,
  maxReceiveBacklogBytes: 64 * 1024 * 1024,
  reassembly: defaultReassemblyLimits
}

/**
 * SCTP MTU for werift peers (`new RTCPeerConnection({ ...sctpPeerConfig() })`). 1191 is werift's default
 * and safe on any path: an SCTP packet must fit one DTLS record in one UDP datagram under a 1280-1500 byte
 * path MTU, and browsers send ~1200-byte packets themselves (and accept ours). Larger values pay off only
 * where the path carries big datagrams (loopback, one host, jumbo-frame LANs): measured on loopback,
 * 64 KiB messages went ~40-58 Mbit/s at 1191 and ~140-300 Mbit/s at 8000 (the bench; werift's SCTP is
 * CPU-bound, per-packet cost dominates). On the internet 8000-byte datagrams become IP fragments, and one
 * lost fragment loses the whole packet, so 8000 is for loopback/LAN deployments only.
 */
export const DEFAULT_SCTP_MTU = 1191

/**
 * The `a=max-message-size` we announce: Chromium's value. werift's default (65536) would split every
 * 64 KiB message into a full frame plus a 14-byte straggler, and each SCTP message costs werift a flush.
 */
export const MAX_SCTP_MESSAGE_BYTES = 262144

/**
 * The werift `RTCPeerConnection` options the data channel depends on: the SCTP MTU and the announced
 * max-message-size (`new RTCPeerConnection({ ...others, ...sctpPeerConfig(mtu) })`).
 */
export const sctpPeerConfig = (sctpMtu: number = DEFAULT_SCTP_MTU) => ({
  sctp: { mtu: sctpMtu },
  maxMessageSize: MAX_SCTP_MESSAGE_BYTES
})
