from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.settimeout(5)
s.connect(("10.0.0.2", 8080))
s.sendall(b"x" * 5000)
print("sent 5000 bytes")
s.close()
