import Testing
@testable import Analysis

@Suite struct ConflictSeriesTests {
    @Test func magnitudeSimilarityFromSquaredNorms() {
        #expect(magnitudeSimilarity(gramianII: 4, gramianJJ: 4) == 1)
        // |g_i| = 2, |g_j| = 1: 2 * 2 * 1 / (4 + 1).
        #expect(magnitudeSimilarity(gramianII: 4, gramianJJ: 1) == 0.8)
        #expect(magnitudeSimilarity(gramianII: 0, gramianJJ: 3) == 0)
        #expect(magnitudeSimilarity(gramianII: 0, gramianJJ: 0).isNaN)
        #expect(magnitudeSimilarity(gramianII: -1, gramianJJ: 2).isNaN)
        #expect(magnitudeSimilarity(gramianII: .nan, gramianJJ: 2).isNaN)
    }
}
