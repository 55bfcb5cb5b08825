print("tasktrace")
