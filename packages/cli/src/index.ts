/**
 * @remotemedia/cli: the `remotemedia-peer` command (`src/main.ts`) and the pieces it is made of, for
 * programs that want to run a scripted peer in-process.
 *
 * @since 0.1.0
 */
export * from "./CliError.ts"
export { type CliOptions, type MediaSource, parseCliOptions, type PatternSpec, usage, type VideoCodecChoice } from "./options/CliOptions.ts"
export { jsonReporter, liveReporter, plainReporter, type Reporter, type TextSink } from "./output/Reporter.ts"
export { runPeer, type RunIo } from "./peer/runPeer.ts"
export type { PeerReport, StatsReport, SummaryReport } from "./stats/StatsReport.ts"
