from socket import *

# Two TCP sockets on the same port: the second bind fails.
a = socket(AF_INET, SOCK_STREAM)
a.bind(("", 8080))
print("tcp a bound to 8080")
b = socket(AF_INET, SOCK_STREAM)
try:
    b.bind(("", 8080))
    print("tcp b bound to 8080")
except Exception as e:
    print("tcp b: " + type(e).__name__ + ": " + str(e))

# Same again once the first one listens.
a.listen(1)
c = socket(AF_INET, SOCK_STREAM)
try:
    c.bind(("", 8080))
    print("tcp c bound to 8080")
except Exception as e:
    print("tcp c: " + type(e).__name__ + ": " + str(e))

# Two UDP sockets on the same port.
u1 = socket(AF_INET, SOCK_DGRAM)
u1.bind(("", 9000))
print("udp u1 bound to 9000")
u2 = socket(AF_INET, SOCK_DGRAM)
try:
    u2.bind(("", 9000))
    print("udp u2 bound to 9000")
except Exception as e:
    print("udp u2: " + type(e).__name__ + ": " + str(e))

# TCP 8080 and UDP 8080 are different ports: both binds work.
u3 = socket(AF_INET, SOCK_DGRAM)
try:
    u3.bind(("", 8080))
    print("udp u3 bound to 8080 while tcp a listens on 8080")
except Exception as e:
    print("udp u3: " + type(e).__name__ + ": " + str(e))

for s in (a, b, c, u1, u2, u3):
    s.close()
