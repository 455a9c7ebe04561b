from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.bind(("", 7788))
s.settimeout(5)
data, addr = s.recvfrom(2048)
print("got", data, "from", addr[0])
s.sendto(data, addr)
s.close()
