import { describe, expect, it } from "vitest"
import * as fc from "fast-check"
import { acceptChatLine, chatLine } from "../src/ChatLine.ts"

describe("chat lines", () => {
  it("accepts every sender's lines in order, interleaved in any way", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom("alice", "bob", "carol"), { maxLength: 60 }), (senders) => {
      const expected = new Map<string, number>()
      const sent = new Map<string, number>()
      for (const from of senders) {
        const seq = sent.get(from) ?? 0
        sent.set(from, seq + 1)
        expect(acceptChatLine(expected, from, chatLine(from, seq))).toBe(true)
      }
      expect(expected).toEqual(sent)
    }))
  })

  it("rejects a skipped, repeated, misattributed or altered line without advancing", () => {
    const expected = new Map<string, number>()
    expect(acceptChatLine(expected, "alice", chatLine("alice", 1))).toBe(false)
    expect(acceptChatLine(expected, "alice", chatLine("bob", 0))).toBe(false)
    expect(acceptChatLine(expected, "alice", `${chatLine("alice", 0)}!`)).toBe(false)
    expect(acceptChatLine(expected, "alice", chatLine("alice", 0))).toBe(true)
    expect(acceptChatLine(expected, "alice", chatLine("alice", 0))).toBe(false)
    expect(expected.get("alice")).toBe(1)
  })
})
