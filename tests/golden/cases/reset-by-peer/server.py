from socket import *
import time

s = socket(AF_INET, SOCK_STREAM)
s.bind(("", 8080))
s.listen(1)
s.settimeout(5)
conn, addr = s.accept()
print("connection from", addr[0])
time.sleep(0.3)  # the client's data has arrived but is never read
conn.close()     # unread data: Linux sends RST instead of FIN
print("closed without reading")
s.close()
