/**
 * The demo's chat lines: `"<from> #<seq>: <sentence>"` as data-channel Text. Each receiver checks that a
 * line names the peer it came from, continues that peer's sequence, and carries the sentence the sequence
 * number selects, so reordering, loss or alteration are counted, not just lines.
 *
 * @since 0.1.0
 */

const sentences = [
  "can everyone hear me?",
  "the video looks sharp from here ✓",
  "mix-minus: I hear you, not myself",
  "jitter buffer is holding steady",
  "över och ut — 🎧"
] as const

/** The `seq`-th line `from` sends. */
export const chatLine = (from: string, seq: number): string => `${from} #${seq}: ${sentences[seq % sentences.length]}`

/** Per-sender state of a receiver: the next sequence number it expects from each peer. */
export type ChatExpectations = Map<string, number>

/** Checks a line received from `peerId` against what that peer should send next; advances on success. */
export const acceptChatLine = (expected: ChatExpectations, peerId: string, line: string): boolean => {
  const seq = expected.get(peerId) ?? 0
  const ok = line === chatLine(peerId, seq)
  if (ok) expected.set(peerId, seq + 1)
  return ok
}
