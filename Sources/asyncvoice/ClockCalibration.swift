import Foundation
import Session
import Transformer

/// Times the running model on this machine for the virtual clock: a 1-row and a 2-row decode
/// step over a short prompt, and a 16-token prefill, `repetitions` times each after a warm-up
/// (about a second on the 0.5B). The wall clock is read here, in the executable, never in
/// Session or the engine.
enum ClockCalibration {
  static func measure(_ engine: Engine, repetitions: Int = 5, stepsPerSample: Int = 4) -> ClockCosts {
    let m = engine.model, s = engine.store
    let text = String(repeating: "The assistant thinks about the numbers in the question step by step. ", count: 8)
    let ids = engine.tokenizer.encode(text)
    let promptIds = Array(ids.prefix(48)), prefillIds = Array(ids.dropFirst(48).prefix(16))
    let prompt = s.makeBlock("calibration prompt", capacity: promptIds.count + 1)
    defer { s.remove(prompt) }
    m.prefill(promptIds, view: [prompt], store: s, wantLogits: false)
    var oneRow: [Double] = [], twoRows: [Double] = [], prefill: [Double] = []
    for rep in 0...repetitions {  // rep 0 warms up
      for rows in [1, 2] {
        let streams = (0..<rows).map { _ in s.makeBlock("calibration stream", capacity: stepsPerSample + 1) }
        let views = streams.map { [prompt, $0] }
        let t = Date()
        for i in 0..<stepsPerSample {
          m.forward(tokens: [Int32](repeating: ids[48 + i], count: rows), views: views, store: s, logitsFor: Array(0..<rows))
        }
        let perStep = Date().timeIntervalSince(t) / Double(stepsPerSample)
        streams.forEach(s.remove)
        if rep > 0 { if rows == 1 { oneRow.append(perStep) } else { twoRows.append(perStep) } }
      }
      let block = s.makeBlock("calibration prefill", capacity: prefillIds.count + 1)
      let t = Date()
      m.prefill(prefillIds, view: [prompt, block], store: s, wantLogits: true)
      if rep > 0 { prefill.append(Date().timeIntervalSince(t)) }
      s.remove(block)
    }
    return ClockCosts.fromTimings(oneRow: oneRow, twoRows: twoRows, prefill: prefill, prefillTokens: prefillIds.count)
  }
}
