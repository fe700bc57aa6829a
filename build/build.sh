#!/usr/bin/env bash
# Build the inspector's app as one folder: build/dist/fieldapp/ (run it as build/dist/fieldapp/fieldapp).
# Usage: bash build/build.sh        (the one documented build command; see README "For developers")
# Uses the project's .venv (created like tests/run does) with the "build" extra (PyInstaller).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[build]'
rm -rf build/dist/fieldapp
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --workpath build/work --distpath build/dist build/fieldapp.spec
# Size, largest parts, and the bundle policy (required files present, forbidden ones absent).
.venv/bin/python build/check_bundle.py build/dist/fieldapp
echo "== built build/dist/fieldapp: run build/dist/fieldapp/fieldapp --self-test"
