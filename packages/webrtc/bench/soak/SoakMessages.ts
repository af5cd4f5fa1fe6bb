/**
 * The IPC conversation between the multi-process soak's parent and each child peer (`soakPeer.ts`):
 * announce → connect → start → samples → stop → drain → exit.
 */
import type { ReceivedStream } from "./PeerTraffic.ts"
import type { SoakSample } from "./SoakSample.ts"

/** Parent → child. */
export type ParentMessage =
  /** Connect to these peers, one after the other. */
  | { readonly _tag: "Connect"; readonly peers: ReadonlyArray<string> }
  /** Start sending to these peers and sampling. */
  | { readonly _tag: "Start"; readonly to: ReadonlyArray<string>; readonly dataPerS: number; readonly sampleS: number }
  | { readonly _tag: "Stop" }
  /** Wait until this many messages arrived from each sender, then report. */
  | { readonly _tag: "Drain"; readonly expected: Readonly<Record<string, number>> }
  | { readonly _tag: "Exit" }

/** Child → parent. */
export type ChildMessage =
  | { readonly _tag: "Announced" }
  | { readonly _tag: "Connected"; readonly failed: ReadonlyArray<readonly [string, string]>; readonly elapsedMs: number }
  /** `peerFailures` / `peerConnects`: PeerFailed or PeerDisconnected / PeerConnected events so far (both ends count). */
  | { readonly _tag: "Sample"; readonly sample: SoakSample; readonly connectedPeers: number; readonly peerFailures: number; readonly peerConnects: number }
  | { readonly _tag: "Stopped"; readonly sentTo: Readonly<Record<string, number>> }
  | { readonly _tag: "Drained"; readonly complete: boolean; readonly receivedFrom: Readonly<Record<string, ReceivedStream>> }
