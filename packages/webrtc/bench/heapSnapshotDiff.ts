/**
 * What grew between two V8 heap snapshots (`.heapsnapshot`, e.g. from the soak's SNAPSHOT_S): object
 * count and self size per constructor, largest growth first. No retained sizes (that needs the dominator
 * tree); follow a grown constructor with `RETAINERS=<type:name>` (as printed), which counts its instances in
 * the later snapshot by owner and prints a few owner chains.
 *
 *   node bench/heapSnapshotDiff.ts before.heapsnapshot after.heapsnapshot [TOP=40] [RETAINERS=Foo]
 */
import { readFileSync } from "node:fs"

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: Array<string>; readonly node_types: [Array<string>, ...Array<unknown>]; readonly edge_fields: Array<string>; readonly edge_types: [Array<string>, ...Array<unknown>] } }
  readonly nodes: Array<number>
  readonly edges: Array<number>
  readonly strings: Array<string>
}

/** A parsed snapshot with its nodes' names ("type:name", so strings, closures and objects stay apart). */
const load = (file: string) => {
  const raw = JSON.parse(readFileSync(file, "utf8")) as Snapshot
  const meta = raw.snapshot.meta
  const nodeWidth = meta.node_fields.length
  const edgeWidth = meta.edge_fields.length
  const field = { type: meta.node_fields.indexOf("type"), name: meta.node_fields.indexOf("name"), size: meta.node_fields.indexOf("self_size"), edges: meta.node_fields.indexOf("edge_count") }
  const edgeField = { type: meta.edge_fields.indexOf("type"), name: meta.edge_fields.indexOf("name_or_index"), to: meta.edge_fields.indexOf("to_node") }
  const nodeTypes = meta.node_types[0]
  const edgeTypes = meta.edge_types[0]
  const count = raw.nodes.length / nodeWidth
  const label = (i: number) => {
    const type = nodeTypes[raw.nodes[i * nodeWidth + field.type]!]!
    const name = raw.strings[raw.nodes[i * nodeWidth + field.name]!]!
    return type === "object" || type === "closure" || type === "native" ? `${type}:${name}` : type
  }
  return { raw, nodeWidth, edgeWidth, field, edgeField, edgeTypes, count, label }
}

type Loaded = ReturnType<typeof load>

const byConstructor = (s: Loaded) => {
  const out = new Map<string, { count: number; size: number }>()
  for (let i = 0; i < s.count; i++) {
    const key = s.label(i)
    const entry = out.get(key) ?? { count: 0, size: 0 }
    entry.count++
    entry.size += s.raw.nodes[i * s.nodeWidth + s.field.size]!
    out.set(key, entry)
  }
  return out
}

/** For each node, one retainer (node index and edge name), for walking owner chains. */
const retainersOf = (s: Loaded) => {
  const owner = new Int32Array(s.count).fill(-1)
  const edgeName: Array<string | undefined> = []
  let edge = 0
  for (let i = 0; i < s.count; i++) {
    const edges = s.raw.nodes[i * s.nodeWidth + s.field.edges]!
    for (let e = 0; e < edges; e++, edge++) {
      const base = edge * s.edgeWidth
      const type = s.edgeTypes[s.raw.edges[base + s.edgeField.type]!]
      if (type === "weak" || type === "shortcut") continue
      const to = s.raw.edges[base + s.edgeField.to]! / s.nodeWidth
      if (owner[to] !== -1) continue
      owner[to] = i
      const name = s.raw.edges[base + s.edgeField.name]!
      edgeName[to] = type === "element" || type === "hidden" ? `[${name}]` : s.raw.strings[name]!
    }
  }
  return { owner, edgeName }
}

const [beforeFile, afterFile] = process.argv.slice(2)
if (beforeFile === undefined || afterFile === undefined) throw new Error("usage: heapSnapshotDiff.ts before.heapsnapshot after.heapsnapshot")
const top = Number(process.env["TOP"] ?? 40)
const before = byConstructor(load(beforeFile))
const afterSnapshot = load(afterFile)
const after = byConstructor(afterSnapshot)
const rows = [...after].map(([key, a]) => {
  const b = before.get(key) ?? { count: 0, size: 0 }
  return { key, count: a.count, dCount: a.count - b.count, dSize: a.size - b.size }
}).sort((x, y) => y.dSize - x.dSize)
console.log(`${"Δ self bytes".padStart(12)} ${"Δ count".padStart(9)} ${"count".padStart(9)}  constructor`)
for (const r of rows.slice(0, top)) console.log(`${String(r.dSize).padStart(12)} ${String(r.dCount).padStart(9)} ${String(r.count).padStart(9)}  ${r.key}`)

const wanted = process.env["RETAINERS"]
if (wanted !== undefined) {
  const { owner, edgeName } = retainersOf(afterSnapshot)
  const instances = Array.from({ length: afterSnapshot.count }, (_, i) => i).filter((i) => afterSnapshot.label(i) === wanted)
  // Where the instances hang: owner two levels up, with the property names (array and dictionary slots as [n]).
  const hangers = new Map<string, number>()
  for (const i of instances) {
    const parent = owner[i]!
    const grand = parent === -1 ? -1 : owner[parent]!
    const where = parent === -1
      ? "(root)"
      : `${grand === -1 ? "(root)" : afterSnapshot.label(grand)}.${edgeName[parent]?.startsWith("[") ? "[n]" : edgeName[parent]} -> ${afterSnapshot.label(parent)}.${edgeName[i]?.startsWith("[") ? "[n]" : edgeName[i]}`
    hangers.set(where, (hangers.get(where) ?? 0) + 1)
  }
  console.log(`\n${instances.length} instances of ${wanted} in the later snapshot, by owner:`)
  for (const [where, n] of [...hangers].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(n).padStart(9)}  ${where}`)
  const step = Math.max(1, Math.floor(instances.length / 3))
  for (let k = 0; k < instances.length; k += step) {
    const chain: Array<string> = []
    for (let i = instances[k]!, depth = 0; i !== -1 && depth < 14; i = owner[i]!, depth++) chain.push(`${afterSnapshot.label(i)}${owner[i] === -1 ? "" : ` .${edgeName[i]}`}`)
    console.log(`\n${chain.join("\n  <- ")}`)
  }
}
