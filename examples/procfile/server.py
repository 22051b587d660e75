"""hello from procfile: a raw socketserver app, run by the Procfile (no buildpack matches it)."""
import json
import os
import socketserver


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        request_line = self.rfile.readline().decode("latin-1").split()
        headers = {}
        for raw in iter(self.rfile.readline, b"\r\n"):
            if not raw:
                break
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        path = request_line[1] if len(request_line) > 1 else "/"
        body = {"/health": "ok\n", "/headers": json.dumps(headers) + "\n"}.get(
            path, "hello from procfile\n").encode()
        self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))


if __name__ == "__main__":
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("0.0.0.0", int(os.environ.get("PORT", "5000"))),
                                         Handler) as server:
        server.serve_forever()
