// Fake Bedrock.
