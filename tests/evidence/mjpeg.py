"""A tiny MJPEG camera on 127.0.0.1 for the watcher's tests.

Serves multipart/x-mixed-replace JPEG frames at `fps`. Frames whose index
modulo `cycle` falls in `bright` are bright (the fake reader sees a plate in
them). Each connection ends after `frames_per_connection` frames, as a flaky
camera drops its stream, so the watcher must reconnect.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cv2
import numpy as np


class MJPEGCamera:
    def __init__(self, fps=10, cycle=20, bright=range(5, 10), frames_per_connection=25, size=(160, 120)):
        self.fps, self.cycle, self.bright, self.per_connection, self.size = fps, cycle, bright, frames_per_connection, size
        self.connections = 0
        self.frame_index = 0
        camera = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                camera.connections += 1
                self.send_response(200)
                self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
                self.end_headers()
                try:
                    for _ in range(camera.per_connection):
                        jpeg = camera.frame()
                        self.wfile.write(b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + str(len(jpeg)).encode() + b"\r\n\r\n" + jpeg + b"\r\n")
                        time.sleep(1 / camera.fps)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/stream.mjpg"

    def frame(self):
        i = self.frame_index
        self.frame_index += 1
        level = 250 if i % self.cycle in self.bright else 40
        image = np.full((self.size[1], self.size[0], 3), level, np.uint8)
        cv2.putText(image, str(i), (5, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (128, 0, 0), 1)
        return cv2.imencode(".jpg", image)[1].tobytes()

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
