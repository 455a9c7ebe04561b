from socket import *


def try_bind(label, addr):
    s = socket(AF_INET, SOCK_STREAM)
    try:
        s.bind(addr)
        print(label + ": bound")
    except Exception as e:
        print(label + ": " + type(e).__name__ + ": " + str(e))
    s.close()


try_bind("port 80", ("", 80))
try_bind("port 70000", ("", 70000))
try_bind("port -1", ("", -1))
try_bind("address 10.0.0.99", ("10.0.0.99", 8080))
try_bind("port '8080'", ("", "8080"))
try_bind("host 'no-such-host'", ("no-such-host", 8080))
try_bind("port 8080", ("", 8080))

s = socket(AF_INET, SOCK_STREAM)
s.bind(("", 8081))
try:
    s.bind(("", 8082))
    print("second bind: bound")
except Exception as e:
    print("second bind: " + type(e).__name__ + ": " + str(e))
s.close()
