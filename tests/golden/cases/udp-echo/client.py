from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"hello", ("10.0.0.2", 7788))
data, addr = s.recvfrom(2048)
print("reply", data, "from", addr[0], addr[1])
s.close()
