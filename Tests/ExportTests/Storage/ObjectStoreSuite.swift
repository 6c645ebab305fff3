import Testing

/// Every object storage suite nests here, so `swift test --filter ObjectStore` runs them all: the SigV4
/// vectors, the key rules, `LocalObjectStore`, and `S3ObjectStore` against a real SeaweedFS.
@Suite enum ObjectStoreTests {}
