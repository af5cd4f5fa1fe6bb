/**
 * @remotemedia/demo: the demo conference (`./run demo`) as a library, for tests and other front ends.
 *
 * @since 0.1.0
 */
export { browserPeerId, type ConferenceResult, runConference, type Tick } from "./Conference.ts"
export { DemoFailed, ReportNotWritten, runDemo } from "./Demo.ts"
export { DemoCodecs, type DemoOptions, DemoResolutions, DemoUsageError, parseDemoOptions, peerNames, usage } from "./DemoOptions.ts"
export { htmlReport } from "./HtmlReport.ts"
export type { ChatFigures, LinkFigures, PeerFigures, PeerRow } from "./PeerFigures.ts"
export { peerRow } from "./PeerFigures.ts"
export { renderTable } from "./StatsTable.ts"
export { jsonSummary, textSummary } from "./Summary.ts"
export { type Check, judge, type Verdict } from "./Verdict.ts"
