from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.settimeout(5)
try:
    s.connect(("10.0.0.2", 8081))
    print("connected")
except Exception as e:
    print(type(e).__name__ + ": " + str(e))
s.close()
