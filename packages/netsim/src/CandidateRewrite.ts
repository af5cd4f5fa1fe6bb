/**
 * Putting the relay between two WebRTC peers: each ICE candidate a peer announces is replaced, on its way
 * to the other peer, by a candidate that points at a relay forwarding to the original address. Then every
 * ICE check and every media packet in both directions crosses a relay (the far peer learns the relay's
 * address as a peer-reflexive candidate when packets come back through it).
 *
 * Candidate syntax (RFC 8839): `[candidate:]foundation component transport priority address port typ …`.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"

export interface CandidateAddress {
  readonly host: string
  readonly port: number
}

const fields = (candidate: string) => candidate.replace(/^(a=)?candidate:/, "").split(" ")

/** The transport address of a UDP candidate; undefined for TCP or malformed candidates. */
export const candidateAddress = (candidate: string): CandidateAddress | undefined => {
  const parts = fields(candidate)
  const port = Number(parts[5])
  if (parts[2]?.toLowerCase() !== "udp" || parts[4] === undefined || !Number.isInteger(port)) return undefined
  return { host: parts[4], port }
}

/** The same candidate with its transport address replaced (the prefix, if any, is kept). */
export const rewriteCandidate = (candidate: string, to: CandidateAddress): string => {
  const prefix = /^(a=)?candidate:/.exec(candidate)?.[0] ?? ""
  const parts = fields(candidate)
  parts[4] = to.host
  parts[5] = String(to.port)
  return prefix + parts.join(" ")
}

/**
 * Rewrite every `a=candidate` line of an SDP with `relayFor`, which yields the relay address for an
 * original candidate address (typically by starting a relay for it). Other lines are untouched.
 */
export const rewriteSdpCandidates = <E, R>(
  sdp: string,
  relayFor: (original: CandidateAddress) => Effect.Effect<CandidateAddress, E, R>
): Effect.Effect<string, E, R> =>
  Effect.forEach(sdp.split("\r\n"), (line) => {
    const address = line.startsWith("a=candidate:") ? candidateAddress(line) : undefined
    return address === undefined ? Effect.succeed(line) : Effect.map(relayFor(address), (to) => rewriteCandidate(line, to))
  }).pipe(Effect.map((lines) => lines.join("\r\n")))
