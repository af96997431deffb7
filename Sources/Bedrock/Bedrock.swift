// Bedrock module.
