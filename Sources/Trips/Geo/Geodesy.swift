import Foundation

/// Great-circle distances on a spherical Earth.
///
/// Haversine on the IUGG mean radius: within ~0.5 % of the ellipsoidal distance, which is far
/// below the error of "walking distance" anyway, and cheap enough for route optimisation.
public enum Geodesy {
    /// IUGG mean Earth radius R₁ in meters.
    public static let meanEarthRadiusMeters = 6_371_008.8

    /// Great-circle distance between two coordinates in meters.
    public static func distanceMeters(_ a: Coordinate, _ b: Coordinate) -> Double {
        let degreesToRadians = Double.pi / 180
        let phi1 = a.latitude * degreesToRadians
        let phi2 = b.latitude * degreesToRadians
        let deltaPhi = (b.latitude - a.latitude) * degreesToRadians
        let deltaLambda = (b.longitude - a.longitude) * degreesToRadians
        let sinHalfPhi = sin(deltaPhi / 2)
        let sinHalfLambda = sin(deltaLambda / 2)
        let h = sinHalfPhi * sinHalfPhi + cos(phi1) * cos(phi2) * sinHalfLambda * sinHalfLambda
        // Rounding can push h a hair past 1 for antipodal points; asin would then return NaN.
        let clamped = min(1, max(0, h))
        return 2 * meanEarthRadiusMeters * asin(clamped.squareRoot())
    }

    /// Sum of the legs between consecutive points, in meters; 0 for fewer than two points.
    public static func pathLength(_ points: [Coordinate]) -> Double {
        guard points.count > 1 else { return 0 }
        var total = 0.0
        for index in 1..<points.count {
            total += distanceMeters(points[index - 1], points[index])
        }
        return total
    }
}
