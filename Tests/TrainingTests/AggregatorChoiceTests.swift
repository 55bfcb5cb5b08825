import Testing
import Linalg
@testable import Training

@Suite struct AggregatorChoiceTests {
    @Test func everyNameBuildsTheAggregatorOfThatName() throws {
        for name in AggregatorChoice.allNames {
            #expect(try AggregatorChoice.make(name, taskCount: 3).name == name)
        }
        #expect(throws: HyperparameterError.self) { try AggregatorChoice.make("nosuch", taskCount: 2) }
        #expect(throws: HyperparameterError.self) { try AggregatorChoice.make("scalarization", taskCount: 2, weights: [1, -1]) }
    }

    @Test func everyMethodGivesAFiniteDirectionOfTheRightShape() throws {
        var generator = RandomGenerator(seed: 4)
        let gradients = Matrix<Double>(rows: 3, columns: 12, storage: (0..<36).map { _ in generator.normal() })
        for name in AggregatorChoice.allNames {
            var aggregator = try AggregatorChoice.make(name, taskCount: 3)
            let result = aggregator.aggregate(AggregationInput(gradients: gradients, sharedCount: 9, losses: [1, 2, 3], step: 0),
                                              generator: &generator)
            #expect(result.direction.count == 12 && result.direction.allSatisfy(\.isFinite), "\(name)")
            #expect(result.weights.count == 3 && result.weights.allSatisfy(\.isFinite), "\(name)")
        }
    }

    @Test func gradVacKeepsItsTargetsAsCheckpointState() throws {
        var aggregator = try AggregatorChoice.make("gradvac", taskCount: 2)
        #expect(aggregator.state == [0, 0, 0, 0])
        let gradients = Matrix<Double>([[1, 0], [1, 1]])
        var generator = RandomGenerator(seed: 1)
        _ = aggregator.aggregate(AggregationInput(gradients: gradients, sharedCount: 2, losses: [1, 1], step: 0), generator: &generator)
        let after = aggregator.state
        #expect(after.count == 4 && after[1] != 0)  // the EMA of cos = 1/sqrt(2) moved
        var restored = try AggregatorChoice.make("gradvac", taskCount: 2)
        restored.state = after
        #expect(restored.state == after)
    }
}
