import socket
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
n = s.sendto(b"hello", ("10.0.0.2", 9999))
print("sendto returned", n)
time.sleep(0.2)
s.close()
print("done")
