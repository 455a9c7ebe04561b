#!/bin/bash
# Record the golden cases on real Linux + CPython (needs root).
#   sudo tools/golden/record.sh                  # every case in tests/golden/cases
#   sudo tools/golden/record.sh tcp-echo http-get
#   sudo tools/golden/record.sh --runs 3         # record 3 times, report unstable cases, keep the last
# Writes tests/golden/recorded/<case>/{capture.pcap,wire.json,output.json,meta.json}. See docs/golden.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec /usr/bin/python3 "$here/record.py" "$@"
