"""docs/printing's samples are what the generator makes now: regenerating them (a fixed clock, a
throwaway shop) gives the committed text, so a change to the slips cannot leave the docs stale."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "printing"


def test_regenerated_samples_are_the_committed_ones(tmp_path):
    from services.printing.samples import write_samples
    write_samples(tmp_path)
    for name in ("receipt.txt", "kitchen-ticket.txt", "kitchen-void.txt"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (SAMPLES / name).read_text(encoding="utf-8"), (
            f"docs/printing/{name} is stale: run python -m services.printing.samples docs/printing")
    receipt = (SAMPLES / "receipt.txt").read_text(encoding="utf-8")
    for shown in ("매장 Dine-in · 테이블 Table 4 (2)", "받은 돈 Tendered", "거스름돈 Change",
                  "현금영수증 Cash receipt"):
        assert shown in receipt
