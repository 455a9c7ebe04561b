import os
from socket import *

path = "/tmp/echo.sock"
try:
    os.unlink(path)
except OSError:
    pass

s = socket(AF_UNIX, SOCK_STREAM)
s.bind(path)
s.listen(1)
s.settimeout(5)
print("listening on", path)

other = socket(AF_UNIX, SOCK_STREAM)
try:
    other.bind(path)
    print("second bind: bound")
except Exception as e:
    print("second bind: " + type(e).__name__ + ": " + str(e))
other.close()

conn, addr = s.accept()
conn.settimeout(5)
print("accepted, peer address", repr(addr))
while True:
    data = conn.recv(1024)
    if not data:
        break
    conn.sendall(data)
conn.close()
s.close()
os.unlink(path)
print("done")
