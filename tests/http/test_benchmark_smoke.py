"""``python -m benchmarks http`` still runs end to end and ends with its JSON line (tiny, bounded run)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_http_benchmark_runs_and_ends_with_one_json_line():
    out = subprocess.run([sys.executable, "-m", "benchmarks", "http", "--duration", "1", "--connections", "2,4"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(result) == {"orders_per_s", "p99_ms", "baseline_rps", "ratio", "overload_goodput_ratio",
                           "overload_other_5xx", "overload_8x_goodput_ratio", "overload_8x_other_5xx",
                           "gifts_availability", "socket_errors"}
    assert result["orders_per_s"] > 0 and result["baseline_rps"] > 0 and result["gifts_availability"] > 0
    assert result["overload_other_5xx"] == 0 and result["overload_8x_other_5xx"] == 0
    assert result["socket_errors"] == 0
