import Reasoning
import Testing

@Suite struct CalculatorTests {
  /// Text a thinker writes, and what the engine writes after it.
  @Test(arguments: [
    ("17 * 23 =", " 391"),
    ("To find the product: 17 × 23 = ", " 391"),
    ("17 times 23 =", " 391"),
    ("   50 - 29 =", " 21"),
    ("1. 7 × 3 =", " 21"),
    ("Daily earnings = 12 dollars/hour × 5 hours/day =", " 60"),
    ("3 \\text{ spiders} \\times 8 \\text{ legs/spider} =", " 24"),
    ("\\[ 17 \\times (20 + 3) =", " 391"),
    ("17 * 23 = 17 * 20 + 17 * 3 =", " 391"),
    ("14 packs × 12 eggs/pack =", " 168"),
    ("50 liters ÷ 10 liters per minute =", " 5"),
    ("He has 5 apples and 3 + 4 =", " 7"),
    ("2.50 × 3 =", " 7.5"),
    ("10 / 4 =", " 2.5"),
    ("10 ÷ 3 =", " 3.33"),
    ("1,200 + 300 =", " 1500"),
    ("$12 + $8 =", " 20"),
    ("(so 3 + 4 =", " 7"),
    ("(3 + 4 =", " 7"),  // a parenthesis never closed is prose
    ("2^10 =", " 1024"),
    ("5 − 8 =", " -3"),
    // a list item's dash is no minus sign (the 1.5B's plain-text thoughts, session 15: "-6 pizzas")
    ("3. Divide:\n   - 18 guests ÷ 3 people per pizza =", " 6"),
    ("- 20 - 8 =", " 12"),
    ("-18 + 3 =", " -15"),
    ("Change: -5 + 2 =", " -3"),
    ("90 pencils + 20 pencils =", " 110"),
    ("7 multiplied by 9 =", " 63"),
    // The spoken "=": the 1.5B's "So, 6 times 5 equals 11." after adding 6 + 5.
    ("So, 6 times 5 equals", " 30"),
    ("6 + 5 Equals ", " 11"),
    ("I get 21. So, 6 times 7 equals", " 42"),
    ("then 48 divided by 6 is equal to", " 8"),
  ])
  func writesTheResult(text: String, expected: String) {
    #expect(Calculator.completion(after: text) == expected)
  }

  /// Text it must leave alone: nothing to compute, or nothing it can read for sure.
  @Test(arguments: [
    "The answer is 391",  // no `=`
    "x = ",  // a variable
    "2x + 3 =",  // algebra
    "20% of 50 =",  // percent
    "total = ",  // no calculation
    "12 =",  // no operator
    "5 + apples =",  // not arithmetic
    "a == b",
    "3 <=",
    "7 / 0 =",  // no quotient
    "The total equals",  // no calculation
    "6 times 5 equalsx",  // not the word
    "It equals",
  ])
  func leavesAlone(text: String) {
    #expect(Calculator.completion(after: text) == nil)
  }

  @Test func tokensThatMayEndACalculation() {
    for t in ["=", " = ", " equals", " Equals ", " to"] { #expect(Calculator.mayEnd(token: t), "\(t)") }
    for t in [" 5", " equal", " is", "==x", " times"] { #expect(!Calculator.mayEnd(token: t), "\(t)") }
  }

  @Test func operatorPrecedenceAndUnaryMinus() {
    #expect(Calculator.result(of: "2 + 3 * 4 =") == 14)
    #expect(Calculator.result(of: "(2 + 3) * 4 =") == 20)
    #expect(Calculator.result(of: "-3 + 5 =") == 2)
    #expect(Calculator.result(of: "100 - 20 - 30 =") == 50)
    #expect(Calculator.result(of: "100 / 5 / 2 =") == 10)
  }
}
