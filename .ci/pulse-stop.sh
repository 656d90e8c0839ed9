#!/usr/bin/env bash
# Stops the daemon started by .ci/pulse-start.sh, by its pid, and removes its directory.
# Usage: .ci/pulse-stop.sh [DIR]   (default: $PULSE_DIR)
set -euo pipefail

dir="${1:-${PULSE_DIR:-}}"
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
  echo "pulse-stop: no PulseAudio directory given (pass it, or set PULSE_DIR)" >&2
  exit 1
fi
pid="$(cat "$dir/pulse.pid" 2>/dev/null || true)"
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
case "$dir" in
  */voice-agent-pulse.*) rm -rf "$dir" ;;
esac
