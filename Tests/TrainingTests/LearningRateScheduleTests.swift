import Foundation
import Testing
import Training

@Suite struct LearningRateScheduleTests {
    func decode(_ json: String) throws -> LearningRateSchedule {
        try JSONDecoder().decode(LearningRateSchedule.self, from: Data(json.utf8))
    }

    @Test func constantIsTheBaseAtEveryStep() {
        let schedule = LearningRateSchedule.constant()
        for step in [0, 1, 100, 1_000_000] {
            #expect(schedule.learningRate(atStep: step, base: 0.3) == 0.3)
        }
    }

    @Test func stepDecayDropsAtMultiplesOfEvery() {
        // lr(s) = 0.2 * 0.5^floor(s / 10)
        let schedule = LearningRateSchedule.step(every: 10, factor: 0.5)
        #expect(schedule.learningRate(atStep: 0, base: 0.2) == 0.2)
        #expect(schedule.learningRate(atStep: 9, base: 0.2) == 0.2)
        #expect(schedule.learningRate(atStep: 10, base: 0.2) == 0.1)
        #expect(schedule.learningRate(atStep: 19, base: 0.2) == 0.1)
        #expect(schedule.learningRate(atStep: 20, base: 0.2) == 0.05)
        #expect(schedule.learningRate(atStep: 35, base: 0.2) == 0.025)
    }

    @Test func cosineGoesFromBaseToMinimum() {
        // lr(s) = 0.01 + (0.1 - 0.01) * (1 + cos(pi * s / 100)) / 2, then 0.01 after step 100.
        let schedule = LearningRateSchedule.cosine(totalSteps: 100, minimum: 0.01)
        #expect(abs(schedule.learningRate(atStep: 0, base: 0.1) - 0.1) < 1e-15)
        #expect(abs(schedule.learningRate(atStep: 50, base: 0.1) - 0.055) < 1e-15)      // (0.1 + 0.01) / 2
        #expect(abs(schedule.learningRate(atStep: 25, base: 0.1) - (0.01 + 0.09 * (1 + 0.5.squareRoot()) / 2)) < 1e-15)
        #expect(abs(schedule.learningRate(atStep: 75, base: 0.1) - (0.01 + 0.09 * (1 - 0.5.squareRoot()) / 2)) < 1e-15)
        #expect(abs(schedule.learningRate(atStep: 100, base: 0.1) - 0.01) < 1e-15)
        #expect(abs(schedule.learningRate(atStep: 250, base: 0.1) - 0.01) < 1e-15)
        // The default minimum is 0.
        #expect(abs(LearningRateSchedule.cosine(totalSteps: 10).learningRate(atStep: 10, base: 0.1)) < 1e-15)
    }

    @Test func warmupRampsLinearlyFromZeroToBase() {
        // s < 10: lr = 0.4 * s / 10; from step 10 the constant base.
        let schedule = LearningRateSchedule.constant(warmupSteps: 10)
        #expect(schedule.learningRate(atStep: 0, base: 0.4) == 0)
        #expect(abs(schedule.learningRate(atStep: 1, base: 0.4) - 0.04) < 1e-15)
        #expect(abs(schedule.learningRate(atStep: 5, base: 0.4) - 0.2) < 1e-15)
        #expect(abs(schedule.learningRate(atStep: 9, base: 0.4) - 0.36) < 1e-15)
        #expect(schedule.learningRate(atStep: 10, base: 0.4) == 0.4)
        #expect(schedule.learningRate(atStep: 11, base: 0.4) == 0.4)
    }

    @Test func warmupCanStartFromAFractionOfBase() {
        // s < 4: lr = 0.2 * (0.1 + 0.9 * s / 4)
        let schedule = LearningRateSchedule.constant(warmupSteps: 4, warmupStart: 0.1)
        #expect(abs(schedule.learningRate(atStep: 0, base: 0.2) - 0.02) < 1e-15)
        #expect(abs(schedule.learningRate(atStep: 2, base: 0.2) - 0.2 * 0.55) < 1e-15)
        #expect(schedule.learningRate(atStep: 4, base: 0.2) == 0.2)
    }

    @Test func decayClockStartsAfterWarmup() {
        // Step decay with 5 warmup steps: drops at steps 5 + 10 k.
        let step = LearningRateSchedule.step(every: 10, factor: 0.1, warmupSteps: 5)
        #expect(abs(step.learningRate(atStep: 2, base: 1) - 0.4) < 1e-15)
        #expect(step.learningRate(atStep: 5, base: 1) == 1)
        #expect(step.learningRate(atStep: 14, base: 1) == 1)
        #expect(abs(step.learningRate(atStep: 15, base: 1) - 0.1) < 1e-15)
        // Cosine over 100 steps after 20 warmup steps: base at 20, midpoint at 70, minimum at 120.
        let cosine = LearningRateSchedule.cosine(totalSteps: 100, minimum: 0, warmupSteps: 20)
        #expect(abs(cosine.learningRate(atStep: 10, base: 0.1) - 0.05) < 1e-15)
        #expect(abs(cosine.learningRate(atStep: 20, base: 0.1) - 0.1) < 1e-15)
        #expect(abs(cosine.learningRate(atStep: 70, base: 0.1) - 0.05) < 1e-15)
        #expect(abs(cosine.learningRate(atStep: 120, base: 0.1)) < 1e-15)
    }

    @Test func decodesTheFlatJSONForm() throws {
        #expect(try decode(#"{"kind": "cosine", "totalSteps": 1000, "minimum": 1e-5, "warmupSteps": 50, "warmupStart": 0.1}"#)
            == .cosine(totalSteps: 1000, minimum: 1e-5, warmupSteps: 50, warmupStart: 0.1))
        #expect(try decode(#"{"kind": "step", "every": 300, "factor": 0.1}"#) == .step(every: 300, factor: 0.1))
        #expect(try decode(#"{"kind": "constant"}"#) == .constant())
        for schedule in [LearningRateSchedule.cosine(totalSteps: 7, minimum: 0.5, warmupSteps: 2),
                         .step(every: 3, factor: 0.9, warmupSteps: 1, warmupStart: 0.25), .constant()] {
            let data = try JSONEncoder().encode(schedule)
            #expect(try JSONDecoder().decode(LearningRateSchedule.self, from: data) == schedule)
        }
    }

    @Test func invalidSchedulesNameTheField() throws {
        func error(_ json: String) -> HyperparameterError? {
            hyperparameterError { _ = try decode(json) }
        }
        #expect(error(#"{"kind": "step", "every": 0, "factor": 0.5}"#)?.description == "every must be at least 1 (got 0)")
        #expect(error(#"{"kind": "step", "every": 10, "factor": 0}"#)?.description == "factor must be in (0, 1] (got 0.0)")
        #expect(error(#"{"kind": "step", "every": 10, "factor": 1.5}"#)?.field == "factor")
        #expect(error(#"{"kind": "step", "factor": 0.5}"#)?.description == "every is required for a step schedule")
        #expect(error(#"{"kind": "step", "every": 10}"#)?.field == "factor")
        #expect(error(#"{"kind": "cosine"}"#)?.description == "totalSteps is required for a cosine schedule")
        #expect(error(#"{"kind": "cosine", "totalSteps": 0}"#)?.field == "totalSteps")
        #expect(error(#"{"kind": "cosine", "totalSteps": 10, "minimum": -0.1}"#)?.field == "minimum")
        #expect(error(#"{"kind": "cosine", "totalSteps": 10, "factor": 0.5}"#)?.description
            == "factor does not apply to a cosine schedule")
        #expect(error(#"{"kind": "constant", "totalSteps": 10}"#)?.field == "totalSteps")
        #expect(error(#"{"kind": "constant", "warmupSteps": -1}"#)?.description == "warmupSteps must be non-negative (got -1)")
        #expect(error(#"{"kind": "constant", "warmupSteps": 5, "warmupStart": 1.5}"#)?.field == "warmupStart")
        #expect(error(#"{"kind": "linear"}"#)?.field == "kind")
        #expect(error(#"{"kind": "cosine", "totalSteps": 10, "warmup": 5}"#)?.field == "warmup")
        #expect(hyperparameterError { try LearningRateSchedule.step(every: -3, factor: 0.5).validate() }?.field == "every")
    }
}
