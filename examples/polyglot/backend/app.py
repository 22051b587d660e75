"""The polyglot backend (WSGI from the standard library): /, /health, /headers as JSON."""
import json
import os
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer, make_server

GREETING = os.environ.get("GREETING", "hello from polyglot backend")


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/headers":
        headers = {k[5:].lower().replace("_", "-"): v for k, v in environ.items()
                   if k.startswith("HTTP_")}
        body, kind = json.dumps(headers) + "\n", "application/json"
    else:
        body, kind = ("ok\n" if path == "/health" else GREETING + "\n"), "text/plain"
    start_response("200 OK", [("Content-Type", kind)])
    return [body.encode()]


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


if __name__ == "__main__":
    make_server("0.0.0.0", int(os.environ.get("PORT", "5000")), app, server_class=Server).serve_forever()
