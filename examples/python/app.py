"""hello from python: /, /health, /headers (request headers as JSON)."""
import http.server
import json
import os


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            self.reply(200, "text/plain", "ok\n")
        elif self.path == "/headers":
            self.reply(200, "application/json", json.dumps(dict(self.headers.items())) + "\n")
        else:
            self.reply(200, "text/plain", "hello from python\n")

    def reply(self, status, content_type, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    http.server.ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()
