// Camera-less media: a moving test pattern drawn on a canvas, and a voice-like tone from an oscillator.

/** A `width`x`height` canvas animated at 30 fps, its video track, and a stop function. */
export function canvasVideo(canvas, label, width, height) {
  canvas.width = width
  canvas.height = height
  const context = canvas.getContext("2d")
  let frame = 0
  const timer = setInterval(() => {
    frame++
    const gradient = context.createLinearGradient(0, 0, canvas.width, canvas.height)
    gradient.addColorStop(0, `hsl(${frame % 360}, 70%, 45%)`)
    gradient.addColorStop(1, `hsl(${(frame + 180) % 360}, 70%, 25%)`)
    context.fillStyle = gradient
    context.fillRect(0, 0, canvas.width, canvas.height)
    context.fillStyle = "white"
    const box = canvas.height / 6
    context.fillRect((frame * 6) % canvas.width, canvas.height / 2 - box / 2, box, box)
    context.font = `${Math.round(canvas.height / 11)}px sans-serif`
    context.fillText(`${label} · frame ${frame}`, 20, canvas.height / 7)
  }, 33)
  const track = canvas.captureStream(30).getVideoTracks()[0]
  return { track, stop: () => clearInterval(timer) }
}

/** A tone at `frequency` Hz, amplitude-modulated like syllables, as an audio track. */
export function oscillatorAudio(frequency) {
  const audio = new AudioContext({ sampleRate: 48000 })
  const tone = new OscillatorNode(audio, { type: "sine", frequency })
  const envelope = new GainNode(audio, { gain: 0.2 })
  const syllables = new OscillatorNode(audio, { type: "sine", frequency: 4 })
  const depth = new GainNode(audio, { gain: 0.1 })
  syllables.connect(depth).connect(envelope.gain)
  const destination = new MediaStreamAudioDestinationNode(audio)
  tone.connect(envelope).connect(destination)
  tone.start()
  syllables.start()
  return { track: destination.stream.getAudioTracks()[0], stop: () => audio.close() }
}
