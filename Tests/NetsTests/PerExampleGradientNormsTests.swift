import Testing
import Linalg
@testable import Nets

@Suite struct PerExampleGradientNormsTests {
    /// `|g|²` of each task's gradient on example `i` alone, by `taskGradients` on a batch of one.
    func singleExampleSquaredNorms(_ problem: SmallProblem) -> Matrix<Double> {
        let n = problem.inputs.rows
        var result = Matrix<Double>(rows: problem.model.taskCount, columns: n)
        for i in 0..<n {
            let gradients = problem.model.taskGradients(
                inputs: problem.inputs.rows(i..<(i + 1)), targets: problem.targets.map { $0.rows(i..<(i + 1)) })
            for t in 0..<problem.model.taskCount {
                let g = gradients.gradient(t)
                result[t, i] = g.reduce(0) { $0 + $1 * $1 }
            }
        }
        return result
    }

    @Test(arguments: [Activation.tanh, .relu])
    func outerProductIdentityMatchesSingleExampleGradients(activation: Activation) {
        let problem = SmallProblem(activation: activation, seed: 5, batch: 9)
        let fast = problem.model.perExampleSquaredGradientNorms(inputs: problem.inputs, targets: problem.targets)
        let reference = singleExampleSquaredNorms(problem)
        #expect(fast.rows == 2 && fast.columns == 9)
        #expect(relativeError(fast.storage, reference.storage) < 1e-10)
        // Row by row too, so neither task (cross-entropy, MSE) hides behind the other's scale.
        for t in 0..<2 {
            #expect(relativeError(fast.row(t), reference.row(t)) < 1e-10, "task \(t)")
            #expect(fast.row(t).allSatisfy { $0 > 0 })
        }
    }

    @Test func theExampleByExampleFallbackAgreesWithTheOuterProductPath() {
        let problem = SmallProblem(activation: .relu, seed: 8, batch: 6)
        let fast = problem.model.outerProductSquaredGradientNorms(inputs: problem.inputs, targets: problem.targets)
        let slow = problem.model.exampleByExampleSquaredGradientNorms(inputs: problem.inputs, targets: problem.targets)
        #expect(relativeError(fast.storage, slow.storage) < 1e-10)
    }

    @Test func aNetworkWithANonLinearParameterisedLayerFallsBackToSingleExamples() {
        // Trunk: Linear, Tanh, then an elementwise scale (a parameterised layer that is not Linear).
        var problem = SmallProblem(seed: 6, batch: 5)
        let trunk: [any Layer] = [Linear(inputWidth: 5, outputWidth: 4), Tanh(width: 4), ElementwiseScale(width: 4)]
        let heads = problem.model.heads.map { TaskHead(name: $0.name, layers: [Linear(inputWidth: 4, outputWidth: $0.outputWidth)], loss: $0.loss) }
        problem.model = MultiTaskModel(trunk: trunk, heads: heads, seed: 3)
        problem.model.parameters.withUnsafeMutableBufferPointer { p in
            for i in 24..<28 { p[i] = 0.5 + Double(i - 24) * 0.25 }  // the scales, after W (20) and b (4)
        }
        let norms = problem.model.perExampleSquaredGradientNorms(inputs: problem.inputs, targets: problem.targets)
        #expect(relativeError(norms.storage, singleExampleSquaredNorms(problem).storage) < 1e-10)
    }

    @Test func theMeanOverExamplesBoundsTheSquaredNormOfTheMeanGradient() {
        // Jensen: |mean_i g_i|² <= mean_i |g_i|², the full-batch gradient being the mean.
        let problem = SmallProblem(seed: 2, batch: 12)
        let norms = problem.model.perExampleSquaredGradientNorms(inputs: problem.inputs, targets: problem.targets)
        let full = problem.model.taskGradients(inputs: problem.inputs, targets: problem.targets)
        for t in 0..<2 {
            let meanOfSquares = norms.row(t).reduce(0, +) / 12
            let squareOfMean = full.gradient(t).reduce(0) { $0 + $1 * $1 }
            #expect(squareOfMean <= meanOfSquares)
        }
    }

    @Test func floatAgreesWithDoubleOnTheSameWeights() {
        let problem = SmallProblem(activation: .relu, seed: 4, batch: 16)
        let single = problem.model.converted(to: Float.self)
        let double = single.converted(to: Double.self)
        let inputs = problem.inputs.converted(to: Float.self)
        let targets = problem.targets.map { $0.converted(to: Float.self) }
        let a = single.perExampleSquaredGradientNorms(inputs: inputs, targets: targets)
        let b = double.perExampleSquaredGradientNorms(inputs: inputs.converted(to: Double.self),
                                                      targets: targets.map { $0.converted(to: Double.self) })
        #expect(relativeError(a.storage, b.storage) < 1e-5)
    }
}

/// `y = x ⊙ a` with a learned scale per feature: a parameterised layer that is not `Linear`
/// (backward only; the R-passes are not needed here).
struct ElementwiseScale: Layer {
    let width: Int
    var parameterOffset = 0
    var inputWidth: Int { width }
    var outputWidth: Int { width }
    var parameterShapes: [ParameterShape] { [ParameterShape(name: "scale", shape: [width])] }
    var description: String { "ElementwiseScale(\(width))" }

    func initialize<Scalar: BLASScalar>(_ parameters: UnsafeMutableBufferPointer<Scalar>, generator: inout RandomGenerator) {
        for j in 0..<width { parameters[parameterOffset + j] = 1 }
    }

    func forward<Scalar: BLASScalar>(_ input: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>) -> Matrix<Scalar> {
        var output = input
        for i in 0..<input.rows { for j in 0..<width { output[i, j] *= parameters[parameterOffset + j] } }
        return output
    }

    func backward<Scalar: BLASScalar>(
        input: Matrix<Scalar>, output: Matrix<Scalar>, upstream: Matrix<Scalar>, multiplicity m: Int,
        parameters: UnsafeBufferPointer<Scalar>, gradients: UnsafeMutablePointer<Scalar>, gradientStride: Int,
        needsInputGradient: Bool
    ) -> Matrix<Scalar>? {
        var downstream = upstream
        for k in 0..<m {
            let g = gradients + k * gradientStride + parameterOffset
            for j in 0..<width { g[j] = 0 }
            for i in 0..<input.rows {
                for j in 0..<width {
                    g[j] += upstream[i, k * width + j] * input[i, j]
                    downstream[i, k * width + j] *= parameters[parameterOffset + j]
                }
            }
        }
        return needsInputGradient ? downstream : nil
    }

    func forwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> Matrix<Scalar> { fatalError("not needed by these tests") }

    func backwardR<Scalar: BLASScalar>(
        input: Matrix<Scalar>, inputR: Matrix<Scalar>?, output: Matrix<Scalar>, outputR: Matrix<Scalar>,
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>,
        hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)? { fatalError("not needed by these tests") }
}
