import Testing

@Test func placeholderBedrockTests() {}
