print("fake-bedrock")
