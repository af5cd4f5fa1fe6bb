/**
 * Why a `remotemedia-peer` run ended badly, one class per exit code: the process prints the error's
 * `message` as one line on stderr and exits with `exitCode(error)`.
 *
 * @since 0.1.0
 */
// Deep imports: main.ts reports usage errors before the (slow to load) transport is imported.
import * as Match from "effect/Match"
import * as Schema from "effect/Schema"

/** A flag is missing, unknown or out of range (exit 2). */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", { message: Schema.String }) {}

/** The signaling server could not be reached, refused us, or was lost for good (exit 3). */
export class SignalingUnavailable extends Schema.TaggedError<SignalingUnavailable>()("SignalingUnavailable", {
  url: Schema.String,
  message: Schema.String
}) {}

/** A peer is unknown, refused or failed the connection, or failed while connected (exit 4). */
export class PeerFailure extends Schema.TaggedError<PeerFailure>()("PeerFailure", {
  peerId: Schema.String,
  message: Schema.String
}) {}

/** The run finished but what `--expect-*` asked for did not arrive (exit 5). */
export class ExpectationUnmet extends Schema.TaggedError<ExpectationUnmet>()("ExpectationUnmet", { message: Schema.String }) {}

/** Anything else that stopped the run: a file that cannot be read or written, a bad manifest (exit 1). */
export class RunFailed extends Schema.TaggedError<RunFailed>()("RunFailed", { message: Schema.String }) {}

export type CliError = UsageError | SignalingUnavailable | PeerFailure | ExpectationUnmet | RunFailed

/** The process exit code of each outcome. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2, Signaling: 3, Peer: 4, Expectation: 5 } as const

/** The exit code that reports `error`. */
export const exitCode: (error: CliError) => number = Match.type<CliError>().pipe(
  Match.tagsExhaustive({
    UsageError: () => ExitCode.Usage,
    SignalingUnavailable: () => ExitCode.Signaling,
    PeerFailure: () => ExitCode.Peer,
    ExpectationUnmet: () => ExitCode.Expectation,
    RunFailed: () => ExitCode.Failed
  })
)
