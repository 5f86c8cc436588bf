"""A small DMV gateway stand-in: a real HTTP server on 127.0.0.1 that answers like a department's gateway."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Gateway:
    def __init__(self, records=None, fail_first=0, status=200, body=None, delay=0.0):
        self.delay = delay
        self.records = records or {}  # (plate_key, state) -> list of records in the gateway's field names
        self.fail_first = fail_first
        self.status = status
        self.body = body
        self.requests = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                gateway.requests.append({"query": query, "auth": self.headers.get("X-Gateway-Key")})
                if gateway.delay:
                    import time

                    time.sleep(gateway.delay)
                if len(gateway.requests) <= gateway.fail_first:
                    self.send_response(503)
                    self.end_headers()
                    return
                payload = gateway.body if gateway.body is not None else json.dumps(
                    {"results": gateway.records.get((query.get("plate"), query.get("state")), [])}).encode()
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that timed out and hung up is what the timeout tests want

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}/v1/registrations"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


FIELD_MAP = {"plate": "PLATE_NO", "state": "PLATE_ST", "make": "VEH_MAKE", "model": "VEH_MODEL", "color": "VEH_COLOR",
             "year": "VEH_YEAR", "owner_name": "RO_NAME", "address_line1": "RO_ADDR1", "city": "RO_CITY",
             "address_state": "RO_STATE", "zip_code": "RO_ZIP", "vehicle_class": "VEH_CLASS"}


def gateway_record(plate="7ABC123", state="CA", **overrides):
    record = {"PLATE_NO": plate, "PLATE_ST": state, "VEH_MAKE": "Subaru", "VEH_MODEL": "Outback", "VEH_COLOR": "Green",
              "VEH_YEAR": "2019", "RO_NAME": "Emerson Galloway", "RO_ADDR1": "48 Bellwether Way", "RO_CITY": "San Mateo",
              "RO_STATE": "CA", "RO_ZIP": "94401", "VEH_CLASS": "private"}
    record.update(overrides)
    return record


def settings_for(gateway, **overrides):
    config = {"URL": gateway.url, "AUTH_HEADER": "X-Gateway-Key", "AUTH_VALUE": "test-gateway-key", "TIMEOUT_SECONDS": 2.0,
              "RETRIES": 2, "RECORDS_KEY": "results", "FIELD_MAP": FIELD_MAP}
    config.update(overrides)
    return config
