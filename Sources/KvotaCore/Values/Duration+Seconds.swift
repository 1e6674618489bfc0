extension Duration {
    /// Seconds as a Double, for logs and benchmark tables.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
