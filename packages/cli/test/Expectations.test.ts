import { describe, expect, it } from "@effect/vitest"
import { unmetExpectation } from "../src/stats/Expectations.ts"
import { makePeerTally } from "../src/stats/PeerTally.ts"

const peer = (peerId: string, counts: { audioFrames?: number; videoFrames?: number; dataReceived?: number }) => ({
  ...makePeerTally(peerId, 0),
  ...counts
})
const none = { expectAudio: false, expectVideo: false, expectData: false }

describe("unmetExpectation", () => {
  it("asks nothing without --expect flags", () => {
    expect(unmetExpectation(none, [])).toBeUndefined()
  })

  it("needs a peer at all, naming every kind expected", () => {
    expect(unmetExpectation({ ...none, expectAudio: true, expectData: true }, [])).toBe("expected audio, data but no peer connected")
  })

  it("needs each expected kind from every peer, and names the silent one", () => {
    const bob = peer("bob", { audioFrames: 50, videoFrames: 0, dataReceived: 2 })
    const carol = peer("carol", { audioFrames: 10, videoFrames: 3, dataReceived: 0 })
    expect(unmetExpectation({ ...none, expectAudio: true }, [bob, carol])).toBeUndefined()
    expect(unmetExpectation({ ...none, expectVideo: true }, [bob, carol])).toBe("expected video from bob, nothing arrived")
    expect(unmetExpectation({ ...none, expectData: true }, [bob, carol])).toBe("expected data from carol, nothing arrived")
    expect(unmetExpectation({ expectAudio: true, expectVideo: true, expectData: true }, [bob, carol])).toBe(
      "expected video from bob, nothing arrived"
    )
  })
})
