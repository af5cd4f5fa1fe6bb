/**
 * The one internal graph both manifest forms normalise to, and its structural checks (pure).
 *
 * @since 0.1.0
 */

/** The implicit endpoint that session inputs enter through. */
export const INPUT = "input"
/** The implicit endpoint that session outputs leave through. */
export const OUTPUT = "output"

/** One node of a pipeline: its id, its registered type and its raw (not yet decoded) params. */
export interface ManifestNode {
  readonly id: string
  readonly type: string
  readonly params: unknown
}

/** A directed edge; `from` may be `"input"`, `to` may be `"output"`. */
export interface ManifestEdge {
  readonly from: string
  readonly to: string
}

/** A structurally valid pipeline graph: unique ids, no dangling edges, acyclic, reaching the output. */
export interface ManifestGraph {
  readonly nodes: ReadonlyArray<ManifestNode>
  readonly edges: ReadonlyArray<ManifestEdge>
  /** Node ids in topological order (every node after all of its upstream nodes). */
  readonly order: ReadonlyArray<string>
}

/** Checks a candidate graph; returns the graph or a message naming the offending node or edge. */
export const checkGraph = (
  nodes: ReadonlyArray<ManifestNode>,
  edges: ReadonlyArray<ManifestEdge>
): { readonly graph: ManifestGraph } | { readonly problem: string } => {
  if (nodes.length === 0) return { problem: "empty pipeline: no nodes" }
  const ids = new Set<string>()
  for (const node of nodes) {
    if (node.id === "") return { problem: `node of type "${node.type}" has an empty id` }
    if (node.id === INPUT || node.id === OUTPUT) return { problem: `node id "${node.id}" is reserved for the pipeline endpoint` }
    if (ids.has(node.id)) return { problem: `duplicate node id "${node.id}"` }
    ids.add(node.id)
  }
  const describe = (edge: ManifestEdge) => `edge "${edge.from}" -> "${edge.to}"`
  const downstream = new Map<string, Array<string>>([...ids].map((id) => [id, []]))
  const inDegree = new Map<string, number>([...ids].map((id) => [id, 0]))
  let reachesOutput = false
  for (const edge of edges) {
    if (edge.from !== INPUT && !ids.has(edge.from)) return { problem: `${describe(edge)} starts at unknown node "${edge.from}"` }
    if (edge.to !== OUTPUT && !ids.has(edge.to)) return { problem: `${describe(edge)} ends at unknown node "${edge.to}"` }
    if (edge.to === OUTPUT) reachesOutput = true
    if (edge.from === edge.to) return { problem: `${describe(edge)} is a cycle (a node feeding itself)` }
    if (edge.from !== INPUT && edge.to !== OUTPUT) {
      downstream.get(edge.from)!.push(edge.to)
      inDegree.set(edge.to, inDegree.get(edge.to)! + 1)
    }
  }
  if (!reachesOutput) return { problem: `no edge reaches "${OUTPUT}"` }
  // Kahn's algorithm: whatever is left with a positive in-degree sits on (or behind) a cycle.
  const ready = [...ids].filter((id) => inDegree.get(id) === 0)
  const order: Array<string> = []
  while (ready.length > 0) {
    const id = ready.pop()!
    order.push(id)
    for (const next of downstream.get(id)!) {
      const left = inDegree.get(next)! - 1
      inDegree.set(next, left)
      if (left === 0) ready.push(next)
    }
  }
  if (order.length < ids.size) {
    const stuck = [...ids].filter((id) => !order.includes(id))
    return { problem: `cycle through node(s) ${stuck.map((id) => `"${id}"`).join(", ")}` }
  }
  return { graph: { nodes, edges, order } }
}
