import Linalg

/// The activations of one forward pass, kept for the backward passes.
public struct ForwardPass<Scalar: BLASScalar>: Sendable {
    /// Trunk activations: `[0]` is the input, `[i + 1]` the output of trunk layer `i`.
    public var trunk: [Matrix<Scalar>]
    /// Per head, the output of each of its layers (the head's input is `trunk.last`).
    public var heads: [[Matrix<Scalar>]]

    /// Each head's output (logits or predictions), `N x outputs`.
    public var outputs: [Matrix<Scalar>] { heads.map { $0.last! } }
    /// The shared representation, `N x trunkWidth`.
    public var representation: Matrix<Scalar> { trunk.last! }

    /// Activations seen by head `t`: its input followed by its layers' outputs.
    func headActivations(_ t: Int) -> [Matrix<Scalar>] { [trunk.last!] + heads[t] }
}

extension MultiTaskModel {
    /// Runs the trunk and every head on `inputs` (`N x inputWidth`).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward(_ inputs: Matrix<Scalar>) -> ForwardPass<Scalar> {
        precondition(inputs.columns == inputWidth, "the model takes \(inputWidth) features, the batch has \(inputs.columns)")
        return parameters.withUnsafeBufferPointer { p in
            var trunkActivations = [inputs]
            trunkActivations.reserveCapacity(trunk.count + 1)
            for layer in trunk { trunkActivations.append(layer.forward(trunkActivations.last!, parameters: p)) }
            let headActivations = heads.map { head in
                var current = trunkActivations.last!
                return head.layers.map { layer in
                    current = layer.forward(current, parameters: p)
                    return current
                }
            }
            return ForwardPass(trunk: trunkActivations, heads: headActivations)
        }
    }

    /// Each task's mean loss on a batch; `targets[t]` as described by `LossKind`.
    public func losses(inputs: Matrix<Scalar>, targets: [Matrix<Scalar>]) -> [Double] {
        let outputs = forward(inputs).outputs
        return heads.indices.map { heads[$0].loss.value(outputs: outputs[$0], targets: targets[$0]) }
    }
}

/// Backward through `layers` given their activations (`[input, out_0, out_1, ...]`), with
/// `multiplicity` upstream gradients side by side; returns the input gradient if asked.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
func backward<Scalar: BLASScalar>(
    through layers: [any Layer], activations: [Matrix<Scalar>], upstream: Matrix<Scalar>, multiplicity: Int,
    parameters: UnsafeBufferPointer<Scalar>, gradients: UnsafeMutablePointer<Scalar>, gradientStride: Int,
    needsInputGradient: Bool
) -> Matrix<Scalar>? {
    var current: Matrix<Scalar>? = upstream
    for index in layers.indices.reversed() {
        current = layers[index].backward(
            input: activations[index], output: activations[index + 1], upstream: current!, multiplicity: multiplicity,
            parameters: parameters, gradients: gradients, gradientStride: gradientStride,
            needsInputGradient: index > 0 || needsInputGradient)
    }
    return current
}
