from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.bind(("", 8080))
s.listen(1)
s.settimeout(5)
conn, addr = s.accept()
conn.settimeout(5)
print("connection from", addr[0])
while True:
    data = conn.recv(1024)
    if not data:
        break
    conn.sendall(data)
    print("echoed", len(data), "bytes")
conn.close()
s.close()
print("done")
