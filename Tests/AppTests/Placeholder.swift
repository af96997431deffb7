import Testing

@Test func placeholderAppTests() {}
