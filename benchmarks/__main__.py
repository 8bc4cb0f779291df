import importlib
import sys

SUITES = ("core", "gui", "http", "chain", "ops")

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in SUITES:
        sys.exit(f"usage: python -m benchmarks {{{'|'.join(SUITES)}}} [options]")
    suite = importlib.import_module(f"benchmarks.{sys.argv[1]}")
    sys.exit(suite.main(sys.argv[2:]))
