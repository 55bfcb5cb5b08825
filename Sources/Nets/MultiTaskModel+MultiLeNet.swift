import Linalg

extension MultiTaskModel {
    /// MultiLeNet, the convolutional trunk of the multi-task literature on MultiMNIST and
    /// MultiFashion (Sener & Koltun, NeurIPS 2018), with one head per task.
    ///
    /// For an input `[1, 28, 28]` (maps `24 -> 12 -> 8 -> 4`) the trunk is
    /// ```
    /// trunk.0 Conv2d(1 -> 10, kernel 5)   weight [10, 1, 5, 5], bias [10]
    /// trunk.1 MaxPool2d(2)  trunk.2 activation
    /// trunk.3 Conv2d(10 -> 20, kernel 5)  weight [20, 10, 5, 5], bias [20]
    /// trunk.4 MaxPool2d(2)  trunk.5 activation  trunk.6 Flatten(320)
    /// trunk.7 Linear(320 -> 50)           weight [50, 320], bias [50]
    /// trunk.8 activation  trunk.9 Dropout(dropout)   (only when dropout > 0)
    /// ```
    /// and each task's head `heads.<task>.0 Linear(50 -> 50)`, `.1` activation,
    /// `.2 Linear(50 -> outputs)`. The flat parameter buffer holds exactly these tensors in
    /// this order, each in PyTorch layout, so it maps one-to-one onto the PyTorch module
    /// `trunk = Sequential(Conv2d, MaxPool2d, ReLU, Conv2d, MaxPool2d, ReLU, Flatten, Linear,
    /// ReLU[, Dropout])`, `heads[task] = Sequential(Linear, ReLU, Linear)`.
    ///
    /// - Parameters:
    ///   - inputShape: `[channels, height, width]` of one example.
    ///   - heads: per task, its name, output count and loss.
    ///   - seed, headStreams: as `init(trunk:heads:seed:headStreams:)`.
    ///   - dropout: the Dropout probability after the trunk's last activation, in [0, 1); 0
    ///     leaves the layer out.
    ///   - activation: ReLU as published; Tanh gives a smooth variant for derivative checks.
    public static func multiLeNet(
        inputShape: [Int], heads: [(name: String, outputs: Int, loss: LossKind)], seed: UInt64,
        headStreams: [Int]? = nil, dropout: Double = 0, activation: Activation = .relu
    ) -> MultiTaskModel {
        precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1) (got \(dropout))")
        let firstConvolution = Conv2d(input: FeatureMapShape(inputShape), outputChannels: 10, kernelSize: 5)
        let firstPool = MaxPool2d(input: firstConvolution.outputShape)
        let secondConvolution = Conv2d(input: firstPool.outputShape, outputChannels: 20, kernelSize: 5)
        let secondPool = MaxPool2d(input: secondConvolution.outputShape)
        let features = secondPool.outputWidth
        var trunk: [any Layer] = [
            firstConvolution, firstPool, activation.layer(width: firstPool.outputWidth),
            secondConvolution, secondPool, activation.layer(width: features),
            Flatten(width: features), Linear(inputWidth: features, outputWidth: 50), activation.layer(width: 50),
        ]
        if dropout > 0 { trunk.append(Dropout(width: 50, probability: dropout)) }
        let taskHeads = heads.map {
            TaskHead(name: $0.name,
                     layers: [Linear(inputWidth: 50, outputWidth: 50), activation.layer(width: 50),
                              Linear(inputWidth: 50, outputWidth: $0.outputs)],
                     loss: $0.loss)
        }
        return MultiTaskModel(trunk: trunk, heads: taskHeads, seed: seed, headStreams: headStreams)
    }
}
