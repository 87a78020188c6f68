#!/usr/bin/env bash
# Regenerate docs/tensorboard-digits.png: train examples/train_digits.py with tapeflow, serve
# the run with TensorBoard on 127.0.0.1 only and photograph it with Debian's headless Chromium
# (apt-get install chromium). forceSVG=true draws the scalar charts as SVG (no GPU here).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
WORK=$(mktemp -d)
trap 'kill "$TB" 2>/dev/null || true; rm -rf "$WORK"' EXIT
(cd "$WORK" && PYTHONPATH="$ROOT/src" "$PY" "$ROOT/examples/train_digits.py" --logdir "$WORK/logs/digits")
"$PY" -m tensorboard.main --logdir "$WORK/logs" --host 127.0.0.1 --port 6123 >"$WORK/tb.log" 2>&1 &
TB=$!
for _ in $(seq 60); do curl -sf http://127.0.0.1:6123/data/runs >/dev/null && break; sleep 1; done
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --no-first-run --hide-scrollbars --window-size=1400,1000 \
  --virtual-time-budget=20000 --screenshot="$ROOT/docs/tensorboard-digits.png" \
  "http://127.0.0.1:6123/?forceSVG=true#timeseries"
