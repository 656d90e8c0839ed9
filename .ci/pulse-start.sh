#!/usr/bin/env bash
# Starts a private PulseAudio daemon for the device tests: a null sink "vsink" (its monitor
# "vsink.monitor" records what was played) and a pipe source "vmic" fed through a FIFO.
# Prints the environment to use and writes it to $DIR/env, so a CI script can:
#   eval "$(.ci/pulse-start.sh)"      or      .ci/pulse-start.sh >/dev/null; . "$PULSE_DIR/env"
# Optional first argument: the directory to use (default: a new temp directory).
# Needs the Debian packages pulseaudio and pulseaudio-utils. Stop it with .ci/pulse-stop.sh.
set -euo pipefail

dir="${1:-$(mktemp -d "${TMPDIR:-/tmp}/voice-agent-pulse.XXXXXX")}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

cat > "$dir/default.pa" <<PA
load-module module-native-protocol-unix auth-anonymous=1 socket=$dir/native
load-module module-null-sink sink_name=vsink rate=16000 channels=1 format=s16le
# The module creates the FIFO itself (and refuses an existing one).
load-module module-pipe-source source_name=vmic file=$dir/mic.fifo format=s16le rate=16000 channels=1
set-default-sink vsink
set-default-source vmic
PA

# The daemon keeps its runtime files (pid, cookie) in our directory, not in the user's.
export HOME="$dir" XDG_RUNTIME_DIR="$dir" XDG_CONFIG_HOME="$dir/config" PULSE_RUNTIME_PATH="$dir/runtime" PULSE_STATE_PATH="$dir/state"
mkdir -p "$dir/config" "$dir/runtime" "$dir/state"
pulseaudio -D --exit-idle-time=-1 --disallow-exit -n -F "$dir/default.pa" --system=false \
  --log-target=file:"$dir/pulse.log" --use-pid-file=yes >/dev/null 2>&1 || {
  echo "pulse-start: pulseaudio failed to start; see $dir/pulse.log" >&2
  exit 1
}

server="unix:$dir/native"
for _ in $(seq 1 50); do
  if PULSE_SERVER="$server" pactl info >/dev/null 2>&1; then
    pid="$(cat "$dir/runtime/pid" 2>/dev/null || pgrep -n -f "pulseaudio.*-F $dir/default.pa" || true)"
    echo "$pid" > "$dir/pulse.pid"
    {
      echo "export PULSE_SERVER=$server"
      echo "export PULSE_DIR=$dir"
      echo "export PULSE_MIC_FIFO=$dir/mic.fifo"
    } | tee "$dir/env"
    exit 0
  fi
  sleep 0.1
done
echo "pulse-start: the PulseAudio server at $server did not answer; see $dir/pulse.log" >&2
exit 1
