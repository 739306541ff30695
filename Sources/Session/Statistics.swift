import Foundation

/// The two statistics that tell a gain from noise in `asyncvoice eval`.
public enum Statistics {
  /// z for a two-sided 95 % interval.
  public static let z95 = 1.959963984540054

  /// Wilson score interval for `k` successes in `n` trials (Wilson 1927). Unlike p ± z·se it
  /// stays inside [0, 1] and is honest at 0/n and n/n. n = 0 gives [0, 1].
  public static func wilson(successes k: Int, trials n: Int, z: Double = z95) -> (low: Double, high: Double) {
    guard n > 0 else { return (0, 1) }
    let nd = Double(n), p = Double(k) / nd, z2 = z * z
    let denom = 1 + z2 / nd
    let center = (p + z2 / (2 * nd)) / denom
    let half = z * (p * (1 - p) / nd + z2 / (4 * nd * nd)).squareRoot() / denom
    return (max(0, center - half), min(1, center + half))
  }

  /// Exact McNemar test: two-sided p of `b` against `c` discordant pairs (b: first right and
  /// second wrong; c: the other way) under H0 "each discordant pair is a fair coin" — a two-sided
  /// binomial test of min(b, c) in b + c trials at 1/2. No discordant pairs gives p = 1.
  public static func mcnemarExact(b: Int, c: Int) -> Double {
    let n = b + c
    guard n > 0 else { return 1 }
    // log-space binomial coefficients: exact enough and no overflow for thousands of pairs
    func logFactorial(_ x: Int) -> Double { Foundation.lgamma(Double(x) + 1) }
    let logHalfToN = -Double(n) * Foundation.log(2.0)
    var tail = 0.0
    for i in 0...min(b, c) {
      let logTerm: Double = logFactorial(n) - logFactorial(i) - logFactorial(n - i) + logHalfToN
      tail += Foundation.exp(logTerm)
    }
    return min(1, 2 * tail)
  }
}
