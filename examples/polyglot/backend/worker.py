"""The polyglot worker: a heartbeat line every few seconds until stopped."""
import signal
import sys
import time

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
while True:
    print("worker: tick", flush=True)
    time.sleep(5)
