from socket import *

s = socket(AF_INET, SOCK_STREAM)
try:
    s.bind(("", 80))
    print("root port 80: bound")
except Exception as e:
    print("root port 80: " + type(e).__name__ + ": " + str(e))
s.close()
