from socket import *
import time

# Each variant uses its own port, so it starts clean:
#   8080: neither the old listener nor the new socket sets SO_REUSEADDR
#   8081: only the new socket sets it
#   8082: only the old listener sets it (so does the connection it accepted)
#   8083: both set it
VARIANTS = [
    (8080, False, False, "neither"),
    (8081, False, True, "new only"),
    (8082, True, False, "old only"),
    (8083, True, True, "both"),
]

for port, old_reuse, new_reuse, label in VARIANTS:
    ls = socket(AF_INET, SOCK_STREAM)
    if old_reuse:
        ls.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
    ls.bind(("", port))
    ls.listen(1)
    ls.settimeout(5)
    conn, addr = ls.accept()
    conn.close()  # the server closes first: its side of the connection ends in TIME_WAIT
    ls.close()
    time.sleep(0.3)  # the client's FIN has arrived and been ACKed by now

    ns = socket(AF_INET, SOCK_STREAM)
    if new_reuse:
        ns.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
    try:
        ns.bind(("", port))
        print(label + ": bind ok")
        try:
            ns.listen(1)
            print(label + ": listen ok")
        except Exception as e:
            print(label + ": listen " + type(e).__name__ + ": " + str(e))
    except Exception as e:
        print(label + ": bind " + type(e).__name__ + ": " + str(e))
    ns.close()
