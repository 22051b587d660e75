"""The polyglot release command: runs once per deployment before traffic moves."""
import os

print("release: migrating (stack config GREETING=%r)" % os.environ.get("GREETING"))
