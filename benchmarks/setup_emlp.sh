#!/usr/bin/env bash
# Installs EMLP 1.0.3 (the anchor) into its own virtualenv, benchmarks/.emlp-venv.
# EMLP needs old pins; this set runs on Python 3.11.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python3 -m venv "$here/.emlp-venv"
"$here/.emlp-venv/bin/pip" install -q emlp==1.0.3 jax==0.4.23 jaxlib==0.4.23 numpy==1.26.4 \
    scipy==1.12.0 objax==1.8.0 optax==0.1.7 plum-dispatch==1.7.4 six
echo "EMLP installed in $here/.emlp-venv"
