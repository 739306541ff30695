import Terminal
import Testing

/// The mouse wheel's pure part: which pane is under a cell, and how a notch moves its scroll.
@Suite struct MouseWheelTests {
  @Test(
    "the pane under a cell at 80×24 and 120×40: borders belong to their pane; the status and input lines and a too-small screen have none",
    arguments: [
      (80, 24, 0, 0, ViewModel.Pane.listening), (80, 24, 21, 10, .listening), (80, 24, 22, 10, .thinking),
      (80, 24, 50, 21, .thinking), (80, 24, 51, 0, .speaking), (80, 24, 79, 21, .speaking),
      (120, 40, 32, 20, .listening), (120, 40, 33, 20, .thinking), (120, 40, 76, 5, .speaking), (120, 40, 119, 37, .speaking),
    ])
  func paneUnderCell(width: Int, height: Int, x: Int, y: Int, pane: ViewModel.Pane) {
    #expect(Layout(width: width, height: height).pane(atX: x, y: y) == pane)
  }

  @Test("no pane on the status line, the input line, outside the screen, or on a screen too small for panes")
  func noPane() {
    let l = Layout(width: 80, height: 24)
    #expect(l.pane(atX: 10, y: 22) == nil)  // status
    #expect(l.pane(atX: 10, y: 23) == nil)  // input
    #expect(l.pane(atX: 80, y: 5) == nil && l.pane(atX: -1, y: 5) == nil)
    #expect(Layout(width: 40, height: 10).pane(atX: 5, y: 5) == nil)
  }

  @Test("a notch scrolls the pane under the pointer by 3 lines, not the focused one; down stops at 0 (following)")
  func wheelScrollsPaneUnderPointer() {
    var vm = ViewModel()
    vm.focus = .speaking
    let over = vm.wheel(up: true, x: 30, y: 5, width: 80, height: 24)  // over Thinking
    #expect(over)
    #expect(vm.scroll == [0, ViewModel.wheelLines, 0])
    vm.wheel(up: true, x: 30, y: 5, width: 80, height: 24)
    vm.wheel(up: true, x: 2, y: 2, width: 80, height: 24)  // over Listening
    #expect(vm.scroll == [3, 6, 0])
    vm.wheel(up: false, x: 30, y: 5, width: 80, height: 24)
    vm.wheel(up: false, x: 30, y: 5, width: 80, height: 24)
    vm.wheel(up: false, x: 30, y: 5, width: 80, height: 24)
    #expect(vm.scroll == [3, 0, 0])
    #expect(vm.focus == .speaking)
    let onStatus = vm.wheel(up: true, x: 30, y: 22, width: 80, height: 24)  // the status line
    #expect(!onStatus)
    #expect(vm.scroll == [3, 0, 0])
  }

  @Test("a scrolled pane shows the ↑ End mark, and the frame is the same as scrolling it with the keys")
  func wheelFrame() {
    var byWheel = sampleModel()
    byWheel.focus = .speaking
    byWheel.wheel(up: true, x: 40, y: 8, width: 120, height: 40)  // Thinking
    var byKeys = sampleModel()
    byKeys.focus = .speaking
    byKeys.scroll[ViewModel.Pane.thinking.rawValue] += 3
    let g = Renderer.render(byWheel, width: 120, height: 40)
    #expect(g == Renderer.render(byKeys, width: 120, height: 40))
    #expect(g.text.split(separator: "\n")[37].contains("↑ End"))
  }
}
