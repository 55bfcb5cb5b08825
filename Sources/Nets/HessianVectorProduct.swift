import Linalg

/// Exact Hessian-vector products of `sum_t w_t L_t` on a fixed batch, by Pearlmutter's
/// R-operator (Pearlmutter 1994, "Fast exact multiplication by the Hessian"): a forward
/// R-pass carries the directional derivative of every activation, a backward R-pass that of
/// every gradient; the R-derivative of the parameter gradient is `H v`.
///
/// The forward pass is computed once at construction, so repeated products (power
/// iteration, Lanczos) cost one forward R-pass and one backward R-pass each.
public struct HessianVectorProduct<Scalar: BLASScalar>: Sendable {
    public let model: MultiTaskModel<Scalar>
    /// Task weights `w_t` of the loss whose Hessian is applied (one-hot: one task's loss).
    public let weights: [Scalar]
    let targets: [Matrix<Scalar>]
    let pass: ForwardPass<Scalar>
    /// Per task, `w_t` times the gradient of its loss with respect to the head's output.
    let outputGradients: [Matrix<Scalar>?]

    public init(model: MultiTaskModel<Scalar>, inputs: Matrix<Scalar>, targets: [Matrix<Scalar>], weights: [Scalar]) {
        precondition(targets.count == model.taskCount && weights.count == model.taskCount,
                     "one target matrix and weight per task")
        self.model = model
        self.weights = weights
        self.targets = targets
        let pass = model.forward(inputs)
        self.pass = pass
        self.outputGradients = model.heads.indices.map { t in
            weights[t] == 0 ? nil
                : model.heads[t].loss.evaluate(outputs: pass.heads[t].last!, targets: targets[t], gradientScale: weights[t]).gradient
        }
    }

    /// The Hessian of the loss applied to `direction` (`P` scalars, the parameter layout).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func apply(_ direction: [Scalar]) -> [Scalar] {
        precondition(direction.count == model.layout.count, "direction has \(direction.count) scalars, the model \(model.layout.count)")
        var result = [Scalar](repeating: 0, count: direction.count)
        model.parameters.withUnsafeBufferPointer { p in
            direction.withUnsafeBufferPointer { v in
                result.withUnsafeMutableBufferPointer { hv in
                    let trunkR = forwardR(through: model.trunk, activations: pass.trunk, inputR: nil, parameters: p, direction: v)
                    let n = pass.trunk[0].rows, width = model.trunk.last!.outputWidth
                    var upstream = Matrix<Scalar>(rows: n, columns: width)
                    var upstreamR = Matrix<Scalar>(rows: n, columns: width)
                    for t in model.heads.indices {
                        guard let outputGradient = outputGradients[t] else { continue }
                        let head = model.heads[t]
                        let activations = pass.headActivations(t)
                        let headR = forwardR(through: head.layers, activations: activations, inputR: trunkR.last!,
                                             parameters: p, direction: v)
                        let outputGradientR = head.loss.hessianProduct(
                            outputs: activations.last!, targets: targets[t], outputsR: headR[headR.count - 1]!, scale: weights[t])
                        let (g, gR) = backwardR(through: head.layers, activations: activations, activationsR: headR,
                                                upstream: outputGradient, upstreamR: outputGradientR, parameters: p,
                                                direction: v, hessianProduct: hv.baseAddress!, needsInputGradient: true)!
                        upstream.storage.withUnsafeMutableBufferPointer { u in
                            g.storage.withUnsafeBufferPointer { Scalar.axpy(u.count, 1, $0.baseAddress!, 1, u.baseAddress!, 1) }
                        }
                        upstreamR.storage.withUnsafeMutableBufferPointer { u in
                            gR.storage.withUnsafeBufferPointer { Scalar.axpy(u.count, 1, $0.baseAddress!, 1, u.baseAddress!, 1) }
                        }
                    }
                    _ = backwardR(through: model.trunk, activations: pass.trunk, activationsR: trunkR,
                                  upstream: upstream, upstreamR: upstreamR, parameters: p, direction: v,
                                  hessianProduct: hv.baseAddress!, needsInputGradient: false)
                }
            }
        }
        return result
    }

    /// R-activations through `layers`: `[inputR, R out_0, R out_1, ...]` (the first may be nil).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func forwardR(
        through layers: [any Layer], activations: [Matrix<Scalar>], inputR: Matrix<Scalar>?,
        parameters: UnsafeBufferPointer<Scalar>, direction: UnsafeBufferPointer<Scalar>
    ) -> [Matrix<Scalar>?] {
        var result: [Matrix<Scalar>?] = [inputR]
        for index in layers.indices {
            result.append(layers[index].forwardR(input: activations[index], inputR: result[index],
                                                 output: activations[index + 1], parameters: parameters, direction: direction))
        }
        return result
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func backwardR(
        through layers: [any Layer], activations: [Matrix<Scalar>], activationsR: [Matrix<Scalar>?],
        upstream: Matrix<Scalar>, upstreamR: Matrix<Scalar>, parameters: UnsafeBufferPointer<Scalar>,
        direction: UnsafeBufferPointer<Scalar>, hessianProduct: UnsafeMutablePointer<Scalar>, needsInputGradient: Bool
    ) -> (Matrix<Scalar>, Matrix<Scalar>)? {
        var current: (gradient: Matrix<Scalar>, gradientR: Matrix<Scalar>)? = (upstream, upstreamR)
        for index in layers.indices.reversed() {
            current = layers[index].backwardR(
                input: activations[index], inputR: activationsR[index], output: activations[index + 1],
                outputR: activationsR[index + 1]!, upstream: current!.gradient, upstreamR: current!.gradientR,
                parameters: parameters, direction: direction, hessianProduct: hessianProduct,
                needsInputGradient: index > 0 || needsInputGradient)
        }
        return current.map { ($0.gradient, $0.gradientR) }
    }
}
