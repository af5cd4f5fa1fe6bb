/**
 * Loss and order of one sequence-numbered stream in constant memory, for long runs: a stream that breaks
 * (a connection fails and is re-established) keeps being checked after the gap instead of counting every
 * later message as out of order.
 */
export class SequenceTally {
  received = 0
  /** The number expected next: one past the highest seen. */
  next = 0
  /** Times the stream jumped ahead (messages skipped: lost, unless they come late). */
  gaps = 0
  skipped = 0
  /** Messages at or below one already seen: duplicates or reordered. */
  stale = 0

  accept(seq: number | undefined): void {
    this.received++
    if (seq === undefined || seq < this.next) this.stale++
    else {
      if (seq > this.next) {
        this.gaps++
        this.skipped += seq - this.next
      }
      this.next = seq + 1
    }
  }

  /** Distinct messages that arrived in order (duplicates and late ones excluded). */
  get inOrder(): number {
    return this.received - this.stale
  }
}
