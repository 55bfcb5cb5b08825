extension StudyAnalysis {
    /// Per variant and task: the validation-loss gap at matched training loss (mean over the
    /// common range in log loss, and at the lowest common loss) with 95% bootstrap intervals
    /// over seeds, its onset step, the metric gap, and the optimization effect.
    public var gapTable: ResultTable {
        var table = ResultTable(
            title: "Generalization gap at matched training loss (MT - ST validation loss; 95% bootstrap intervals over seeds)",
            columns: ["variant", "task", "seeds", "mean gap", "mean gap low", "mean gap high", "gap at lowest loss",
                      "lowest low", "lowest high", "onset step", "metric", "metric mean gap", "metric low", "metric high",
                      "optimization effect"])
        for result in results {
            let loss = result.lossGap, metric = result.metricGap
            let effect = sampleMean(result.optimization.map { $0?.mean.whole ?? .nan }.filter(\.isFinite))
            table.append([
                .text(result.variant), .text(result.task), .integer(result.seeds.count),
                .number(loss?.meanGap.estimate ?? .nan), .number(loss?.meanGap.lower ?? .nan), .number(loss?.meanGap.upper ?? .nan),
                .number(loss?.gapAtLowestLoss.estimate ?? .nan), .number(loss?.gapAtLowestLoss.lower ?? .nan),
                .number(loss?.gapAtLowestLoss.upper ?? .nan), .number(loss?.onset?.step ?? .nan), .text(result.metricName),
                .number(metric?.meanGap.estimate ?? .nan), .number(metric?.meanGap.lower ?? .nan),
                .number(metric?.meanGap.upper ?? .nan), .number(effect),
            ])
        }
        return table
    }

    /// Per MT run and task pair: conflict statistics over the whole run and its thirds.
    public var conflictTable: ResultTable {
        var table = ResultTable(
            title: "Gradient conflict in the MT runs (\(conflictSource == .probe ? "probe big-batch" : "minibatch") gradients, shared parameters)",
            columns: ["variant", "pair", "seed", "mean cosine", "conflict fraction", "magnitude similarity",
                      "directional conflict", "early cosine", "middle cosine", "late cosine"])
        for run in runConflicts {
            for (p, pair) in run.pairs.enumerated() {
                let summary = run.statistics[p]?.summary
                table.append([
                    .text(run.variant), .text(pair.replacingOccurrences(of: "|", with: "-")), .integer(Int(run.seed)),
                    .number(summary?.whole.meanCosine ?? .nan), .number(summary?.whole.conflictFraction ?? .nan),
                    .number(summary?.whole.meanMagnitudeSimilarity ?? .nan), .number(summary?.whole.meanDirectionalConflict ?? .nan),
                    .number(summary?.early.meanCosine ?? .nan), .number(summary?.middle.meanCosine ?? .nan),
                    .number(summary?.late.meanCosine ?? .nan),
                ])
            }
        }
        return table
    }

    /// The correlations over units, each with Pearson and Spearman coefficients, bootstrap
    /// 95% intervals and permutation p-values.
    public var correlationTable: ResultTable {
        var table = ResultTable(
            title: "Correlations over units (variant x task x seed): bootstrap 95% intervals, permutation p-values",
            columns: ["x", "y", "n", "pearson", "pearson low", "pearson high", "pearson p",
                      "spearman", "spearman low", "spearman high", "spearman p"])
        for c in correlations {
            table.append([
                .text(c.xLabel), .text(c.yLabel), .integer(c.pearson.count),
                .number(c.pearson.coefficient), .number(c.pearson.interval.lower), .number(c.pearson.interval.upper),
                .number(c.pearson.pValue), .number(c.spearman.coefficient), .number(c.spearman.interval.lower),
                .number(c.spearman.interval.upper), .number(c.spearman.pValue),
            ])
        }
        return table
    }

    /// Per variant, task and factor: the MT−ST difference at matched training loss (mean over
    /// the common range in log loss, mean over seeds with a bootstrap 95% interval).
    public func factorTable(bootstrap: Bootstrap = Bootstrap()) -> ResultTable {
        var table = ResultTable(
            title: "Trajectory factors: MT - ST at matched training loss (mean over the range; 95% bootstrap intervals over seeds)",
            columns: ["variant", "task", "factor", "seeds", "mean difference", "difference low", "difference high"])
        for result in results {
            for name in RecordedTrajectory.factorNames {
                guard let differences = result.factors[name] else { continue }
                let values = differences.map { $0?.meanDifference ?? .nan }.filter(\.isFinite)
                let interval = bootstrap.meanInterval(values)
                table.append([.text(result.variant), .text(result.task), .text(name), .integer(values.count),
                              .number(interval.estimate), .number(interval.lower), .number(interval.upper)])
            }
        }
        return table
    }
}
