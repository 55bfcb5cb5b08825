import Testing
import Linalg
@testable import Nets

@Suite struct TopEigenvalueTests {
    /// The full Hessian, assembled column by column from products with unit vectors.
    func fullHessian(_ hvp: HessianVectorProduct<Double>) -> Matrix<Double> {
        let p = hvp.model.layout.count
        var hessian = Matrix<Double>(rows: p, columns: p)
        for j in 0..<p {
            var unit = [Double](repeating: 0, count: p)
            unit[j] = 1
            let column = hvp.apply(unit)
            for i in 0..<p { hessian[i, j] = column[i] }
        }
        return hessian
    }

    @Test(arguments: [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    func powerIterationAndLanczosFindTheLargestEigenvalueOfTheAssembledHessian(weights: [Double]) throws {
        let problem = SmallProblem()
        let hvp = HessianVectorProduct(model: problem.model, inputs: problem.inputs, targets: problem.targets, weights: weights)
        let hessian = fullHessian(hvp)
        // Assembled from exact products, the matrix must be symmetric.
        let asymmetry = (0..<hessian.rows).flatMap { i in (0..<i).map { j in abs(hessian[i, j] - hessian[j, i]) } }.max()!
        #expect(asymmetry < 1e-10)
        let exact = try symmetricEigenvalues(hessian).last!
        let dimension = problem.model.layout.count
        let lanczos = topEigenvalueByLanczos(dimension: dimension, tolerance: 1e-12, maxIterations: dimension, seed: 1, product: hvp.apply)
        #expect(abs(lanczos.value - exact) <= 1e-8 * abs(exact), "Lanczos \(lanczos.value) vs \(exact)")
        let power = topEigenvalueByPowerIteration(dimension: dimension, tolerance: 1e-12, maxIterations: 20_000, seed: 1, product: hvp.apply)
        #expect(abs(power.value - exact) <= 1e-6 * abs(exact), "power \(power.value) vs \(exact)")
    }

    @Test func powerIterationReturnsTheLargestAlgebraicEigenvalueWhenTheDominantOneIsNegative() {
        // diag(-5, 2, 1): power iteration alone would report -5.
        let diagonal: [Double] = [-5, 2, 1]
        let estimate = topEigenvalueByPowerIteration(dimension: 3, tolerance: 1e-12, maxIterations: 5000, seed: 2) { v in
            zip(diagonal, v).map { $0 * $1 }
        }
        #expect(abs(estimate.value - 2) < 1e-8)
        #expect(estimate.converged)
    }

    @Test func lanczosStopsEarlyOnALowRankOperator() {
        // A rank-2 operator u u^T * 3 + w w^T: the Krylov space is exhausted after two steps
        // (plus one for the start vector's orthogonal part).
        let u: [Double] = [1, 0, 0, 0, 0], w: [Double] = [0, 1, 0, 0, 0]
        let estimate = topEigenvalueByLanczos(dimension: 5, tolerance: 1e-14, maxIterations: 5, seed: 3) { v in
            var result = u.map { $0 * 3 * dot(u, v) }
            axpy(dot(w, v), w, &result)
            return result
        }
        #expect(abs(estimate.value - 3) < 1e-10)
        #expect(estimate.iterations <= 3)
    }
}
