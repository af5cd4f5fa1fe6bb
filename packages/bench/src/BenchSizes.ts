/**
 * How much each suite measures: the full run, and the smoke run CI does so the bench cannot rot.
 *
 * @since 0.1.0
 */

/** Sample counts and sizes of one run. */
export interface BenchSizes {
  /** Alternating rounds of a one-pair connect (ours, then raw werift). */
  readonly connectRounds: number
  /** Transports in the full mesh, and how many times it is formed. */
  readonly meshSize: number
  readonly meshRounds: number
  /** Data channel: rounds of `dataRoundBytes` in 64 KiB messages, then 32-byte round trips. */
  readonly dataRounds: number
  readonly dataRoundBytes: number
  readonly dataRoundTrips: number
  /** 20 ms audio frames timed per series (the transport's own calls: in real time, so 50 per second). */
  readonly audioFrames: number
  readonly transportAudioFrames: number
  /** 720p video frames timed per codec and series. */
  readonly videoFrames: number
  /** Receivers, each in a child process, of the fan-out figures. */
  readonly fanOutPeers: number
  /** Pipeline: session create/close cycles, and frames routed one at a time. */
  readonly sessionCycles: number
  readonly pipelineFrames: number
  /** Transport session: mix-minus rounds of 3 peers (3 frames in, 3 mixes out). */
  readonly mixMinusRounds: number
  /** Signaling: clients, messages per client per round, rounds, and peers for the memory figure. */
  readonly signalingClients: number
  readonly signalingMessages: number
  readonly signalingRounds: number
  readonly signalingMemoryPeers: number
  /** Seconds of 720p30 load per series for the CPU and event-loop figures. */
  readonly loadSeconds: number
  /** A suite still running after this long has hung: the run fails, naming it. */
  readonly suiteTimeoutSeconds: number
}

/** The full run: `./run bench`. */
export const fullSizes: BenchSizes = {
  connectRounds: 15,
  meshSize: 10,
  meshRounds: 3,
  dataRounds: 10,
  dataRoundBytes: 8 * 1024 * 1024,
  dataRoundTrips: 400,
  audioFrames: 1_000,
  transportAudioFrames: 250,
  videoFrames: 90,
  fanOutPeers: 10,
  sessionCycles: 500,
  pipelineFrames: 4_000,
  mixMinusRounds: 2_000,
  signalingClients: 100,
  signalingMessages: 200,
  signalingRounds: 9,
  signalingMemoryPeers: 500,
  loadSeconds: 4,
  suiteTimeoutSeconds: 600
}

/** `--smoke`: every figure, tiny sizes (seconds, not minutes). */
export const smokeSizes: BenchSizes = {
  connectRounds: 2,
  meshSize: 3,
  meshRounds: 1,
  dataRounds: 2,
  dataRoundBytes: 256 * 1024,
  dataRoundTrips: 10,
  audioFrames: 20,
  transportAudioFrames: 10,
  videoFrames: 4,
  fanOutPeers: 2,
  sessionCycles: 5,
  pipelineFrames: 50,
  mixMinusRounds: 20,
  signalingClients: 4,
  signalingMessages: 5,
  signalingRounds: 2,
  signalingMemoryPeers: 8,
  loadSeconds: 0.5,
  suiteTimeoutSeconds: 150
}
