import { describe, expect, it } from "@effect/vitest"
import { unmetExpectation } from "../src/stats/Expectations.ts"
import { makePeerTally } from "../src/stats/PeerTally.ts"

const peer = (peerId: string, dataReceived: number) => ({ ...makePeerTally(peerId, 0), dataReceived })

describe("unmetExpectation", () => {
  it("asks nothing without --expect flags", () => {
    expect(unmetExpectation({ expectData: false }, [])).toBeUndefined()
  })

  it("needs a peer at all", () => {
    expect(unmetExpectation({ expectData: true }, [])).toBe("expected data but no peer connected")
  })

  it("needs data from every peer, and names the silent one", () => {
    expect(unmetExpectation({ expectData: true }, [peer("bob", 2), peer("carol", 1)])).toBeUndefined()
    expect(unmetExpectation({ expectData: true }, [peer("bob", 2), peer("carol", 0)])).toBe("expected data from carol, nothing arrived")
  })
})
