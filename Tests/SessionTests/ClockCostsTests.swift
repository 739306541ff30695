import Foundation
import Reasoning
import Session
import Testing

@Suite struct ClockCostsTests {
  @Test("calibration timings → clock costs: medians, so one slow sample does not count")
  func fromTimings() {
    let c = ClockCosts.fromTimings(
      oneRow: [0.030, 0.020, 0.900, 0.021, 0.022], twoRows: [0.026, 0.027, 0.5, 0.028, 0.029], prefill: [0.16, 0.17, 0.15, 3.0],
      prefillTokens: 16)
    #expect(c.stepSeconds == 0.022)
    #expect(abs(c.extraRowFactor - (0.028 / 0.022 - 1)) < 1e-12)
    #expect(abs(c.prefillSeconds - 0.165 / 16) < 1e-12)
    // a 2-row step measured faster than a 1-row step charges no extra, never a refund
    #expect(ClockCosts.fromTimings(oneRow: [0.03], twoRows: [0.02], prefill: [0.1], prefillTokens: 10).extraRowFactor == 0)
  }

  @Test(
    "given costs parse; bad ones say what is expected",
    arguments: [
      ("0.028,0.3,0.010", true), ("default", true), ("0.05, 0.5, 0.02", true), ("0,0.3,0.01", false), ("0.028,0.3", false),
      ("fast", false), ("1e300,0.3,0.01", false), ("inf,0.3,0.01", false), ("0.028,nan,0.01", false), ("0.028,0.3,-1", false),
    ])
  func parse(s: String, ok: Bool) {
    let parsed = try? ClockCosts.parse(s)
    #expect((parsed != nil) == ok)
  }

  @Test("the clock charges what the costs say")
  func clock() throws {
    let clock = try ClockCosts.parse("0.05,0.5,0.02").makeClock()
    clock.charge(rows: 2, prefill: 0)
    #expect(abs(clock.now - 0.075) < 1e-12)
    clock.charge(rows: 0, prefill: 10)
    #expect(abs(clock.now - 0.275) < 1e-12)
    #expect(try ClockCosts.parse("default") == ClockCosts.builtIn)
  }
}
