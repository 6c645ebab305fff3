print("jobs-bench: not yet")
