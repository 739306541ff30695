import App
import Testing

/// The voice's words for written symbols, as a listener expects them read aloud (espeak-ng reads
/// "$12/hour" as "dollar twelve slash hour" and drops a spaced minus).
@Suite struct SpokenFormTests {
  @Test(
    "money, per, times, minus and ranges in words; words, sentences and list dashes untouched",
    arguments: [
      ("Tom earns $12/hour.", "Tom earns 12 dollars per hour."),
      ("He works 5 hours/day.", "He works 5 hours per day."),
      ("So 57 dollars - 6 dollars = 51 dollars.", "So 57 dollars minus 6 dollars = 51 dollars."),
      ("$50 - $30 = $20", "50 dollars minus 30 dollars = 20 dollars"),
      ("It costs $1.", "It costs 1 dollar."),
      ("It costs $12.50 in all.", "It costs 12 dollars and 50 cents in all."),
      ("Change: $0.75.", "Change: 75 cents."),
      ("That is $1,200 a year.", "That is 1,200 dollars a year."),
      ("3 * 4 = 12", "3 times 4 = 12"),
      ("3 x 4 = 12 and 2×5 = 10", "3 times 4 = 12 and 2 times 5 = 10"),
      ("27-6=21", "27 minus 6=21"),
      ("It takes 4-5 days.", "It takes 4 to 5 days."),
      ("at 60 km/h", "at 60 kilometers per hour"),
      ("Ask his/her teacher: yes/no?", "Ask his or her teacher: yes or no?"),
      ("half is 1/2", "half is 1 over 2"),
      ("the money she gets is [boxed{27}].", "the money she gets is 27."),
      ("The answer is \\boxed{108} dollars.", "The answer is 108 dollars."),
      ("The answer is 42. Well - almost.", "The answer is 42. Well - almost."),
      ("Steps:\n- 18 guests ÷ 3 = 6", "Steps:\n- 18 guests ÷ 3 = 6"),
      ("The capital of Australia is Canberra.", "The capital of Australia is Canberra."),
      ("a well-known 2-step sum", "a well-known 2-step sum"),
    ])
  func spoken(written: String, said: String) {
    #expect(SpokenForm.text(written) == said)
  }
}
