from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.bind(("", 8080))
s.listen(1)
s.settimeout(5)
conn, addr = s.accept()
conn.settimeout(5)
total = 0
while True:
    data = conn.recv(65536)
    if not data:
        break
    total += len(data)
print("received", total, "bytes")
conn.close()
s.close()
