/**
 * @remotemedia/bench: every performance figure of the transport contract, each next to a baseline
 * measured in the same run (raw werift, the bare codec, the bare pipeline, a bare WebSocket relay).
 * `./run bench` runs it all (src/main.ts); `--smoke` runs it with tiny sizes.
 *
 * @since 0.1.0
 */
export { type BenchSizes, fullSizes, smokeSizes } from "./BenchSizes.ts"
export { type Summary, summarise } from "./measure/Summary.ts"
export type { BenchReport, MachineInfo } from "./report/BenchReport.ts"
export type { Figure, Series } from "./report/Figure.ts"
export { formatNumber, renderMarkdown } from "./report/markdown.ts"
export { runBench, type RunOptions, type Suite, suites } from "./runBench.ts"
