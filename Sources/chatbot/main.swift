print("chatbot")
