/**
 * The content checks the spec puts on SDP and candidates (beyond their JSON shape): they map to
 * -32002/-32003 and -32004, not to -32602.
 *
 * @since 0.1.0
 */

/** SDP over this many bytes (UTF-8) is refused. */
export const SDP_MAX_BYTES = 64 * 1024

const encoder = new TextEncoder()

/** Why an SDP is unacceptable, or `undefined` when it is fine. */
export const sdpProblem = (sdp: string): string | undefined => {
  if (sdp.length > SDP_MAX_BYTES || encoder.encode(sdp).length > SDP_MAX_BYTES) return `sdp is over ${SDP_MAX_BYTES} bytes`
  if (!/^v=/m.test(sdp)) return "sdp has no v= line"
  if (!/^m=/m.test(sdp)) return "sdp has no m= line"
  return undefined
}

// candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> …
const CANDIDATE = /^candidate:\S+ \d+ \S+ \d+ \S+ \d+ typ \S+/

/**
 * Why an ICE candidate is malformed, or `undefined`. `""` is the end-of-candidates marker and must come
 * with null `sdp_mid` / `sdp_m_line_index`.
 */
export const candidateProblem = (candidate: string, sdpMid: string | null, sdpMLineIndex: number | null): string | undefined => {
  if (candidate === "") {
    return sdpMid === null && sdpMLineIndex === null
      ? undefined
      : "the end-of-candidates marker needs null sdp_mid and sdp_m_line_index"
  }
  if (!CANDIDATE.test(candidate)) return "candidate must look like \"candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>\""
  if (sdpMid === null && sdpMLineIndex === null) return "a candidate needs sdp_mid or sdp_m_line_index"
  return undefined
}
