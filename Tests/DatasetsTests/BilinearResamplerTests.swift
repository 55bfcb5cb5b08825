import Datasets
import Testing

@Test func aConstantImageStaysTheSameConstant() {
    let resampler = BilinearResampler(sourceSide: 36, targetSide: 28)
    let output = resampler.resampled([Float](repeating: 0.37, count: 36 * 36))
    #expect(output.count == 28 * 28)
    #expect(output.allSatisfy { abs($0 - 0.37) <= 1e-6 })
}

@Test func sameSizeIsTheIdentity() {
    let image = (0..<(28 * 28)).map { Float($0 % 97) / 97 }
    #expect(BilinearResampler(sourceSide: 28, targetSide: 28).resampled(image) == image)
}

@Test func upsamplingIsBilinearInterpolationWithHalfPixelCentres() {
    // Each row 0, 1 -> 0, 0.25, 0.75, 1 (PyTorch's bilinear with align_corners = false).
    let output = BilinearResampler(sourceSide: 2, targetSide: 4).resampled([0, 1, 0, 1])
    for row in 0..<4 { #expect(Array(output[(row * 4)..<(row * 4 + 4)]) == [0, 0.25, 0.75, 1]) }
}

@Test func halvingUsesTheWidenedTriangle() {
    // Output centre 1.0 (and 3.0) in input units; triangle half-width 2: input pixel centres at
    // distances 0.5, 0.5, 1.5 get weights 3/7, 3/7, 1/7. Rows 0, 7, 14, 21 -> 35/7 = 5, 112/7 = 16.
    let row: [Float] = [0, 7, 14, 21]
    let output = BilinearResampler(sourceSide: 4, targetSide: 2).resampled(row + row + row + row)
    #expect(output.count == 4)
    for (value, expected) in zip(output, [5, 16, 5, 16] as [Float]) { #expect(abs(value - expected) <= 1e-5) }
    // Transposed input gives the transposed output.
    let columns = BilinearResampler(sourceSide: 4, targetSide: 2).resampled(row.flatMap { [$0, $0, $0, $0] })
    for (value, expected) in zip(columns, [5, 5, 16, 16] as [Float]) { #expect(abs(value - expected) <= 1e-5) }
}
