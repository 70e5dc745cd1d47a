"""A TCP proxy on 127.0.0.1 that cuts connections at chosen points: it
forwards bytes both ways and, while it has cuts left, closes both sides after
a number of bytes drawn from a seeded random generator, in whichever
direction reaches it first. Used to cut uploads and downloads of attachment
files in the middle of a chunk. Python standard library only."""

import random
import socket
import threading


class FaultProxy:
    def __init__(self, target_port, seed, cuts, min_bytes=64 * 1024, max_bytes=12 * 1024 * 1024):
        self.target_port = target_port
        self.random = random.Random(seed)
        self.cuts_left = cuts
        self.cuts_made = 0
        self.min_bytes, self.max_bytes = min_bytes, max_bytes
        self.lock = threading.Lock()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _budget(self):
        """Bytes this connection may carry before it is cut; None: no cut."""
        with self.lock:
            if self.cuts_left <= 0:
                return None
            return self.random.randint(self.min_bytes, self.max_bytes)

    def _accept(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            state = {"budget": self._budget(), "closed": False}
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b, client, server, state), daemon=True).start()

    def _pump(self, source, sink, client, server, state):
        try:
            while True:
                data = source.recv(256 * 1024)
                if not data:
                    break
                with self.lock:
                    budget = state["budget"]
                    if budget is not None:
                        if len(data) >= budget and self.cuts_left > 0 and not state["closed"]:
                            sink.sendall(data[:budget])
                            self.cuts_left -= 1
                            self.cuts_made += 1
                            state["closed"] = True
                            raise ConnectionResetError("cut")
                        state["budget"] = budget - len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (client, server):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def stop(self):
        self.running = False
        self.listener.close()
