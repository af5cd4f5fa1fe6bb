/**
 * The identity of a manifest for "one session per manifest" (pure): two manifests are the same when their
 * nodes (ids, types, params), edges and routing are, whatever their JSON form, key order or object identity.
 *
 * @since 0.1.0
 */
import type { Manifest } from "@remotemedia/runtime-core"

/** JSON with object keys sorted, so equal values give equal text. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v)

/** The key of `manifest`; edges are compared as a set (their order does not change the graph). */
export const manifestKey = (manifest: Manifest): string =>
  canonicalJson({
    nodes: manifest.nodes.map((n) => ({ id: n.id, type: n.type, params: n.params })),
    edges: manifest.edges.map((e) => `${e.from}->${e.to}`).sort(),
    routing: manifest.routing
  })
