# Sourced by installer/build.sh and installer/windows/makensis.sh (from the repository's
# top folder): sets `python` to the interpreter that has GridCert installed — $PYTHON when
# given, else the project's .venv (Linux/macOS or Windows layout), else python3.
if [[ -n "${PYTHON:-}" ]]; then
  python=$PYTHON
elif [[ -x .venv/bin/python ]]; then
  python=.venv/bin/python
elif [[ -x .venv/Scripts/python.exe ]]; then
  python=.venv/Scripts/python.exe
else
  python=python3
fi
