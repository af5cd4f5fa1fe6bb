/**
 * The loopback STUN responder of the signaling server, for tests: werift's server-reflexive gathering
 * finishes at once instead of waiting out its timeout, and nothing is ever sent off the machine.
 */
import { Effect } from "effect"
import { makeStunResponder } from "@remotemedia/signaling-server"

/** Starts a responder on 127.0.0.1 for the scope's lifetime; yields its `stun:` url. */
export const stunServer = makeStunResponder().pipe(Effect.map((responder) => responder.url), Effect.orDie)
