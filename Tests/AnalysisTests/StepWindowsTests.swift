import Testing
@testable import Analysis

@Suite struct StepWindowsTests {
    @Test func boundariesGoToTheLaterWindow() {
        let windows = StepWindows(first: 0, last: 300)
        #expect(windows.window(of: 0) == .early && windows.window(of: 99) == .early)
        #expect(windows.window(of: 100) == .middle && windows.window(of: 199.5) == .middle)
        #expect(windows.window(of: 200) == .late && windows.window(of: 300) == .late)
        #expect(StepWindows(first: 10, last: 10).window(of: 10) == .early)
        #expect(StepWindows(steps: [5, .nan, 2, 9]) == StepWindows(first: 2, last: 9))
        #expect(StepWindows(steps: [.nan]) == nil)
    }

    @Test func windowedComputesOverAllRowsAndEachThird() {
        let windowed = Windowed(steps: [0, 1, 2, 3, 4, 5, 6], windows: StepWindows(first: 0, last: 6)) { $0 }
        #expect(windowed.whole == [0, 1, 2, 3, 4, 5, 6])
        #expect(windowed.early == [0, 1] && windowed.middle == [2, 3] && windowed[.late] == [4, 5, 6])
    }
}
