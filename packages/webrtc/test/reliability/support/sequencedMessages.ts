/**
 * Sequence-numbered data-channel traffic: what a sender sends, and the check a receiver makes that nothing
 * was lost, duplicated or reordered.
 */
import { Predicate } from "effect"
import type { DataChannelMessage } from "../../../src/datachannel/DataChannelMessage.ts"

/** Message `seq` of a sequenced stream; the padding gives it a realistic size. */
export const sequenced = (seq: number, padding = 64): DataChannelMessage => ({
  _tag: "Json",
  payload: { seq, padding: "x".repeat(padding) }
})

/** The sequence number of a message `sequenced` made, or undefined for anything else. */
export const sequenceOf = (message: DataChannelMessage): number | undefined => {
  if (!Predicate.isTagged(message, "Json") || !Predicate.isObject(message.payload)) return undefined
  const seq = (message.payload as { readonly seq?: unknown }).seq
  return typeof seq === "number" ? seq : undefined
}

/** Tracks one sender's stream: counts arrivals and every deviation from 0, 1, 2, … */
export class SequenceChecker {
  received = 0
  /** Messages whose number was not the next expected one (a gap, duplicate or reorder). */
  outOfOrder = 0
  next = 0

  accept(seq: number | undefined): void {
    this.received++
    if (seq === this.next) this.next++
    else this.outOfOrder++
  }

  /** True when exactly `count` messages arrived, numbered 0..count-1 in order. */
  complete(count: number): boolean {
    return this.received === count && this.next === count && this.outOfOrder === 0
  }
}
