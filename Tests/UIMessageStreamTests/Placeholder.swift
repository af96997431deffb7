import Testing

@Test func placeholderUIMessageStreamTests() {}
