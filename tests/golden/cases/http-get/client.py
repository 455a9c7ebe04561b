import urllib.request

with urllib.request.urlopen("http://10.0.0.2/", timeout=5) as r:
    print(r.status, r.reason)
    print(r.headers["Content-Type"])
    print(r.read().decode(), end="")
