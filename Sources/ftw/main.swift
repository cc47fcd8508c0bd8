print("ftw")
