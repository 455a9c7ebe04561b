from socket import *
import time

s = socket(AF_INET, SOCK_STREAM)
s.settimeout(5)
s.connect(("10.0.0.2", 8080))
s.send(b"hello")
print("sent hello")
time.sleep(0.6)  # the server closes meanwhile
try:
    data = s.recv(1024)
    print("recv returned", data)
except Exception as e:
    print("recv: " + type(e).__name__ + ": " + str(e))
try:
    s.send(b"again")
    print("send again ok")
except Exception as e:
    print("send: " + type(e).__name__ + ": " + str(e))
s.close()
