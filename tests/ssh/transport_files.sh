#!/bin/bash
# SshTransport against real sshd: streams, exit codes, timeouts, channels, SFTP upload, modes.
set -euo pipefail
: "${WM:?}" "${TB:?}"
bin=$(dirname "$WM")/../tests/wm_unit_transport
exec "$bin" "[ssh]"
