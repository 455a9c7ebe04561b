from socket import *

m = socket(AF_UNIX, SOCK_STREAM)
try:
    m.connect("/tmp/missing.sock")
    print("connected to missing")
except Exception as e:
    print("missing: " + type(e).__name__ + ": " + str(e))
m.close()

s = socket(AF_UNIX, SOCK_STREAM)
s.settimeout(5)
s.connect("/tmp/echo.sock")
print("connected")
s.sendall(b"hello")
print("received", s.recv(1024))
s.close()
