from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.settimeout(5)
s.connect(("10.0.0.2", 8080))
print("connected")
s.send(b"hello")
data = s.recv(1024)
print("received", data)
s.close()
