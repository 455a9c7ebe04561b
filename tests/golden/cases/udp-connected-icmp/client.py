import socket
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect(("10.0.0.2", 9999))
print("send returned", s.send(b"hello"))
time.sleep(0.2)
try:
    s.recv(1024)
    print("recv returned data")
except Exception as e:
    print("recv: " + type(e).__name__ + ": " + str(e))
print("send returned", s.send(b"again"))
time.sleep(0.2)
try:
    s.send(b"third")
    print("third send ok")
except Exception as e:
    print("send: " + type(e).__name__ + ": " + str(e))
s.close()
