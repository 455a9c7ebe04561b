from socket import *
import time

for port in (8080, 8081, 8082, 8083):
    s = socket(AF_INET, SOCK_STREAM)
    s.settimeout(5)
    s.connect(("10.0.0.2", port))
    data = s.recv(1024)
    print(port, "server closed first, recv returned", data)
    s.close()
    time.sleep(0.6)  # the server tries its rebind, then listens on the next port
