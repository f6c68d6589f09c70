print("valley")
