/// How the scalarization weights w_t act on training (method `scalarization`).
///
/// - `weighting`: every step minimises `sum_t w_t L_t` on one minibatch of the training split,
///   each `L_t` the mean over the batch's examples labelled for task t.
/// - `sampling` (proportional sampling; Xin et al. 2022 in translation, Royer et al. 2023 for
///   multi-domain learning): every step draws task t with probability `w_t / sum_s w_s`, takes a
///   minibatch of task t's labelled training examples (its domain's, for a multi-domain dataset;
///   the whole training split when every example carries every task) and applies task t's
///   gradient alone; `/train/weight` records the one-hot effective weights. A run's length in
///   epochs still counts passes over the whole training split (split size / batch size steps
///   per epoch), so both modes take the same number of steps. Multi-domain
///   problems are usually trained this way: it balances domains of different sizes and does
///   not dilute a domain's examples across the other tasks' heads.
public enum Scalarization: String, Codable, Sendable, CaseIterable {
    case weighting
    case sampling

    /// The scalarization called `name`; an unknown name is an error naming `scalarization`.
    public static func named(_ name: String) throws -> Scalarization {
        guard let value = Scalarization(rawValue: name) else {
            throw HyperparameterError(field: "scalarization",
                                      message: "scalarization must be weighting or sampling (got \(name))")
        }
        return value
    }
}
