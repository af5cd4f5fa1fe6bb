/**
 * `./run bench`: every performance figure next to its baseline, measured in one run inside the private
 * network namespace. Prints the Markdown table and writes it, and the JSON, to packages/bench/results/.
 *
 *   scripts/netns node --conditions=source packages/bench/src/main.ts [--smoke] [--out <dir>] [--only connect,mesh,...]
 *
 * Forces a GC before memory readings: re-executes itself with --expose-gc when started without it.
 */
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { renderMarkdown } from "./report/markdown.ts"
import { runBench } from "./runBench.ts"

if (globalThis.gc === undefined) {
  const { status } = spawnSync(process.execPath, ["--expose-gc", ...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" })
  process.exit(status ?? 1)
}

const { values } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    out: { type: "string", default: fileURLToPath(new URL("../results", import.meta.url)) },
    only: { type: "string", default: "" }
  }
})
const only = values.only.split(",").filter((name) => name !== "")

const report = await Effect.runPromise(runBench({ smoke: values.smoke, only })).catch((error: unknown) => {
  // A failed or hung suite may leave its transports behind: report and leave at once.
  console.error(error)
  process.exit(1)
})
const markdown = renderMarkdown(report)
mkdirSync(values.out, { recursive: true })
writeFileSync(join(values.out, "bench.json"), `${JSON.stringify(report, null, 2)}\n`)
writeFileSync(join(values.out, "bench.md"), `${markdown}\n`)
console.log(markdown)
