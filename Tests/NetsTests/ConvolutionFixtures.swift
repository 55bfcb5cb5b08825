import Linalg
@testable import Nets

/// A model with a batch in Double: inputs uniform on [0, 1) (like pixel intensities), targets
/// drawn per head (class labels for cross-entropy heads, standard normal values otherwise).
struct ModelProblem {
    var model: MultiTaskModel<Double>
    var inputs: Matrix<Double>
    var targets: [Matrix<Double>]

    init(model: MultiTaskModel<Double>, batch: Int, seed: UInt64) {
        self.model = model
        var generator = RandomGenerator(seed: seed, stream: 77)
        inputs = Matrix(rows: batch, columns: model.inputWidth,
                        storage: (0..<(batch * model.inputWidth)).map { _ in generator.uniform() })
        targets = model.heads.map { head in
            switch head.loss {
            case .crossEntropy:
                Matrix(rows: batch, columns: 1, storage: (0..<batch).map { _ in Double(generator.integer(below: head.outputWidth)) })
            case .meanSquaredError:
                Matrix(rows: batch, columns: head.outputWidth,
                       storage: (0..<(batch * head.outputWidth)).map { _ in generator.normal() })
            }
        }
    }

    /// `sum_t w_t L_t` at the given parameters.
    func loss(_ parameters: [Double], weights: [Double]) -> Double {
        var copy = model
        copy.parameters = parameters
        return zip(copy.losses(inputs: inputs, targets: targets), weights).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The weighted gradient at the given parameters.
    func gradient(_ parameters: [Double], weights: [Double]) -> [Double] {
        var copy = model
        copy.parameters = parameters
        return copy.weightedGradient(inputs: inputs, targets: targets, weights: weights).gradient
    }

    /// (g(θ + h v) - g(θ - h v)) / 2h for the weighted gradient.
    func finiteDifferenceHessianProduct(weights: [Double], direction: [Double], step: Double) -> [Double] {
        var plus = model.parameters, minus = model.parameters
        axpy(step, direction, &plus)
        axpy(-step, direction, &minus)
        return zip(gradient(plus, weights: weights), gradient(minus, weights: weights)).map { ($0 - $1) / (2 * step) }
    }

    /// (L(θ + h v) - L(θ - h v)) / 2h: the directional derivative of the weighted loss.
    func finiteDifferenceDirectionalDerivative(weights: [Double], direction: [Double], step: Double) -> Double {
        var plus = model.parameters, minus = model.parameters
        axpy(step, direction, &plus)
        axpy(-step, direction, &minus)
        return (loss(plus, weights: weights) - loss(minus, weights: weights)) / (2 * step)
    }

    /// The smallest gap between the largest and the second-largest value of any pooling
    /// window of the forward pass: finite differences across the max-pool are valid only when
    /// the step moves no value by that much.
    func smallestPoolingMargin() -> Double {
        let pass = model.forward(inputs)
        var smallest = Double.infinity
        for (index, layer) in model.trunk.enumerated() {
            guard let pool = layer as? MaxPool2d else { continue }
            smallest = min(smallest, poolingMargin(pool, input: pass.trunk[index]))
        }
        return smallest
    }

    /// The smallest |value| that a ReLU of the trunk or the heads receives.
    func smallestReLUInput() -> Double {
        let pass = model.forward(inputs)
        var smallest = Double.infinity
        for (index, layer) in model.trunk.enumerated() where layer is ReLU {
            smallest = min(smallest, pass.trunk[index].storage.map(abs).min()!)
        }
        for t in model.heads.indices {
            let activations = pass.headActivations(t)
            for (index, layer) in model.heads[t].layers.enumerated() where layer is ReLU {
                smallest = min(smallest, activations[index].storage.map(abs).min()!)
            }
        }
        return smallest
    }
}

/// Max minus second max over each window of `pool` (non-overlapping or not), minimised.
func poolingMargin(_ pool: MaxPool2d, input: Matrix<Double>) -> Double {
    let shape = pool.inputShape, k = pool.kernelSize, s = pool.stride
    var smallest = Double.infinity
    for e in 0..<input.rows {
        for c in 0..<shape.channels {
            for oi in 0..<pool.outputShape.height {
                for oj in 0..<pool.outputShape.width {
                    var values: [Double] = []
                    for ki in 0..<k {
                        for kj in 0..<k {
                            values.append(input[e, (c * shape.height + oi * s + ki) * shape.width + oj * s + kj])
                        }
                    }
                    values.sort(by: >)
                    smallest = min(smallest, values[0] - values[1])
                }
            }
        }
    }
    return smallest
}

/// A random vector of standard normal entries.
func randomVector(_ count: Int, seed: UInt64) -> [Double] {
    var generator = RandomGenerator(seed: seed)
    return (0..<count).map { _ in generator.normal() }
}

/// A random matrix of standard normal entries.
func randomMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix<Double> {
    Matrix(rows: rows, columns: columns, storage: randomVector(rows * columns, seed: seed))
}

/// `m` matrices of equal shape side by side: row `n` holds row `n` of each, in order.
func sideBySide(_ blocks: [Matrix<Double>]) -> Matrix<Double> {
    let n = blocks[0].rows, width = blocks[0].columns
    var result = Matrix<Double>(rows: n, columns: blocks.count * width)
    for row in 0..<n {
        for (k, block) in blocks.enumerated() {
            for j in 0..<width { result[row, k * width + j] = block[row, j] }
        }
    }
    return result
}

/// Block `k` of `m` side-by-side blocks.
func block(_ k: Int, of matrix: Matrix<Double>, multiplicity m: Int) -> Matrix<Double> {
    let width = matrix.columns / m
    var result = Matrix<Double>(rows: matrix.rows, columns: width)
    for row in 0..<matrix.rows {
        for j in 0..<width { result[row, j] = matrix[row, k * width + j] }
    }
    return result
}

/// Checks of one layer on its own, with the loss `L = ½|y|² + R·y` of its output `y` (so the
/// upstream gradient is `y + R`): its backward and R-passes against finite differences.
struct LayerCheck<L: Layer> {
    var layer: L
    var parameters: [Double]
    var input: Matrix<Double>
    /// The fixed linear part `R` of the loss.
    var linearTerm: Matrix<Double>

    func output(parameters: [Double], input: Matrix<Double>) -> Matrix<Double> {
        parameters.withUnsafeBufferPointer { layer.forward(input, parameters: $0) }
    }

    func loss(parameters: [Double], input: Matrix<Double>) -> Double {
        let y = output(parameters: parameters, input: input)
        return zip(y.storage, linearTerm.storage).reduce(0) { $0 + 0.5 * $1.0 * $1.0 + $1.0 * $1.1 }
    }

    func upstream(parameters: [Double], input: Matrix<Double>) -> Matrix<Double> {
        var result = output(parameters: parameters, input: input)
        for i in result.storage.indices { result.storage[i] += linearTerm.storage[i] }
        return result
    }

    /// The analytic parameter gradient and input gradient of `L`.
    func gradients(parameters: [Double], input: Matrix<Double>) -> (parameters: [Double], input: Matrix<Double>) {
        let y = output(parameters: parameters, input: input)
        let dy = upstream(parameters: parameters, input: input)
        var g = [Double](repeating: 0, count: max(1, parameters.count))
        let dx = parameters.withUnsafeBufferPointer { p in
            g.withUnsafeMutableBufferPointer { gp in
                layer.backward(input: input, output: y, upstream: dy, multiplicity: 1, parameters: p,
                               gradients: gp.baseAddress!, gradientStride: 0, needsInputGradient: true)!
            }
        }
        return (Array(g.prefix(parameters.count)), dx)
    }

    /// Central finite differences of `L` over the parameters and over the input.
    func finiteDifferenceGradients(step: Double) -> (parameters: [Double], input: [Double]) {
        let parameterGradient = finiteDifferenceGradient(at: parameters, step: step) { loss(parameters: $0, input: input) }
        let inputGradient = finiteDifferenceGradient(at: input.storage, step: step) {
            loss(parameters: parameters, input: Matrix(rows: input.rows, columns: input.columns, storage: $0))
        }
        return (parameterGradient, inputGradient)
    }

    /// The R-passes along (parameter direction `v`, input direction `inputR`): R{y}, the
    /// Hessian-vector product of the layer's parameters, R{dx}.
    func rPasses(direction v: [Double], inputR: Matrix<Double>) -> (outputR: Matrix<Double>, hessianProduct: [Double], inputGradientR: Matrix<Double>) {
        let y = output(parameters: parameters, input: input)
        let dy = upstream(parameters: parameters, input: input)
        var hv = [Double](repeating: 0, count: max(1, parameters.count))
        let (yR, dxR) = parameters.withUnsafeBufferPointer { p in
            v.withUnsafeBufferPointer { vp in
                hv.withUnsafeMutableBufferPointer { h in
                    let yR = layer.forwardR(input: input, inputR: inputR, output: y, parameters: p, direction: vp)
                    // R{dy} = R{y + R} = R{y}.
                    let result = layer.backwardR(input: input, inputR: inputR, output: y, outputR: yR, upstream: dy,
                                                 upstreamR: yR, parameters: p, direction: vp,
                                                 hessianProduct: h.baseAddress!, needsInputGradient: true)!
                    return (yR, result.gradientR)
                }
            }
        }
        return (yR, Array(hv.prefix(parameters.count)), dxR)
    }

    /// The same three by central differences along `(v, inputR)`.
    func finiteDifferenceRPasses(direction v: [Double], inputR: Matrix<Double>, step: Double)
        -> (outputR: [Double], hessianProduct: [Double], inputGradientR: [Double]) {
        func moved(_ sign: Double) -> ([Double], Matrix<Double>) {
            var p = parameters, x = input
            axpy(sign * step, v, &p)
            axpy(sign * step, inputR.storage, &x.storage)
            return (p, x)
        }
        let (pPlus, xPlus) = moved(1), (pMinus, xMinus) = moved(-1)
        func difference(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { ($0 - $1) / (2 * step) } }
        let plus = gradients(parameters: pPlus, input: xPlus), minus = gradients(parameters: pMinus, input: xMinus)
        return (difference(output(parameters: pPlus, input: xPlus).storage, output(parameters: pMinus, input: xMinus).storage),
                difference(plus.parameters, minus.parameters),
                difference(plus.input.storage, minus.input.storage))
    }
}
