/**
 * Network simulation for loopback tests: a seedable UDP impairment relay (loss, jitter, reordering,
 * duplication, bandwidth cap, blackout windows) and the candidate rewriting that puts it between two
 * WebRTC peers.
 *
 * @since 0.1.0
 */
export * from "./CandidateRewrite.ts"
export * from "./Impairment.ts"
export * from "./Prng.ts"
export * from "./UdpRelay.ts"
