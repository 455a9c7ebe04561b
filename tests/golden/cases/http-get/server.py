from http.server import HTTPServer, BaseHTTPRequestHandler

BODY = b"<h1>Hello from wirescope</h1>\n"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format, *args):
        pass  # the default log line has a timestamp


server = HTTPServer(("", 80), Handler)
server.timeout = 5
print("serving on port 80")
server.handle_request()
server.server_close()
print("served one request")
