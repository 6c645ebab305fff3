print("travelsense")
