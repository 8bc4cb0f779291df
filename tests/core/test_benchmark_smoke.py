"""``python -m benchmarks core`` still runs end to end and ends with its JSON line (tiny, bounded run)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_benchmark_runs_its_rounds_and_ends_with_one_json_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "benchmarks", "core", "--orders", "300", "--clients", "4",
                          "--latency-orders", "50", "--baseline-commits", "300", "--rounds", "3",
                          "--dir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert sum(line.startswith("round ") for line in lines) == 3
    result = json.loads(lines[-1])
    assert set(result) == {"orders_per_s", "baseline_commits_per_s", "ratio", "place_order_p50_ms",
                           "place_order_p99_ms"}
    assert result["orders_per_s"] > 0 and result["baseline_commits_per_s"] > 0
    assert abs(result["ratio"] - result["orders_per_s"] / result["baseline_commits_per_s"]) < 0.01
    assert 0 < result["place_order_p50_ms"] <= result["place_order_p99_ms"]
