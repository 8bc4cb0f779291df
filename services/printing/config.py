"""The printers file: the shop's details for the receipt header and where each printer is.

TOML (or the same shape as JSON), set up by the manager; docs/printing.md has a full example::

    [shop]
    name = "식당 Sikdang"
    business_number = "123-45-67890"
    address = "서울특별시 종로구 종로 1"
    phone = "02-123-4567"

    [[printer]]
    name = "counter"
    role = "receipt"
    host = "192.168.0.50"

    [[printer]]
    name = "kitchen"
    role = "kitchen"
    host = "192.168.0.51"
    categories = []            # empty: every category no other kitchen printer names
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from services.errors import InvalidInput

ROLES = ("receipt", "kitchen")


@dataclass(frozen=True)
class ShopDetails:
    name: str = "식당 Sikdang"
    business_number: str = ""     # 사업자등록번호, e.g. 123-45-67890
    address: str = ""
    phone: str = ""
    footer: str = "감사합니다 · Thank you"


@dataclass(frozen=True)
class PrinterConfig:
    name: str
    role: str                     # receipt | kitchen
    host: str
    port: int = 9100
    width: int = 48               # Font A columns: 48 on 80 mm paper (42 on some 80 mm models)
    categories: tuple[str, ...] = ()   # kitchen: the menu categories it prints; empty = the rest
    status_check: bool = True     # ask DLE EOT before each job; off for a printer that never answers
    timeout_s: float = 10.0       # connect, status answer, and the printer reading the whole job
    cut_counter: bool = False     # the model reports its autocutter count (GS g 2): exactly once after a crash

    def takes(self, category: str) -> bool:
        """Whether this kitchen printer names ``category`` ("찌개 Stews": "찌개", "Stews" or all of it)."""
        label = category.casefold()
        return any(label == c or label.startswith(c + " ") or label.endswith(" " + c)
                   for c in (name.casefold().strip() for name in self.categories))


@dataclass(frozen=True)
class PrintingConfig:
    shop: ShopDetails
    printers: tuple[PrinterConfig, ...]
    retry_first_s: float = 1.0    # back-off while a printer is off: first wait, doubling up to ...
    retry_max_s: float = 10.0     # ... this (a connect attempt costs nothing; a cook waits for the ticket)

    @property
    def receipt_printer(self) -> PrinterConfig | None:
        return next((p for p in self.printers if p.role == "receipt"), None)

    @property
    def kitchen_printers(self) -> tuple[PrinterConfig, ...]:
        return tuple(p for p in self.printers if p.role == "kitchen")

    def kitchen_printer_for(self, category: str) -> PrinterConfig | None:
        """The kitchen printer that names ``category``, else the first one naming none (the catch-all)."""
        kitchens = self.kitchen_printers
        return (next((p for p in kitchens if p.categories and p.takes(category)), None)
                or next((p for p in kitchens if not p.categories), None))


def load_config(path: Path | str) -> PrintingConfig:
    """Read and check the printers file; a mistake raises InvalidInput naming the file and the field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except OSError as error:
        raise InvalidInput(f"printers file {path} cannot be read: {error.strerror or error}") from None
    except (ValueError, tomllib.TOMLDecodeError) as error:
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        raise InvalidInput(f"printers file {path} is not valid {kind}: {error}") from None
    return parse_config(data, source=str(path))


def parse_config(data: dict, source: str = "printers file") -> PrintingConfig:
    def fail(message: str):
        raise InvalidInput(f"{source}: {message}")

    if not isinstance(data, dict):
        fail("expected a table with [shop] and [[printer]] entries")
    shop_data = data.get("shop", {})
    unknown = set(shop_data) - set(ShopDetails.__dataclass_fields__)
    if not isinstance(shop_data, dict) or unknown:
        fail(f"[shop] has unknown fields {sorted(unknown)}; known: {sorted(ShopDetails.__dataclass_fields__)}")
    shop = ShopDetails(**{k: str(v) for k, v in shop_data.items()})
    printers = []
    for number, entry in enumerate(data.get("printer", data.get("printers", [])), start=1):
        printers.append(_printer(entry, f"printer {number}", fail))
    names = [p.name for p in printers]
    if len(set(names)) != len(names):
        fail(f"printer names must differ: {names}")
    if sum(p.role == "receipt" for p in printers) > 1:
        fail("at most one receipt printer")
    retry = data.get("retry", {})
    first, most = float(retry.get("first_s", 1.0)), float(retry.get("max_s", 10.0))
    if not 0 < first <= most:
        fail("[retry] needs 0 < first_s <= max_s")
    return PrintingConfig(shop=shop, printers=tuple(printers), retry_first_s=first, retry_max_s=most)


def _printer(entry, where: str, fail) -> PrinterConfig:
    if not isinstance(entry, dict):
        fail(f"{where} must be a table")
    unknown = set(entry) - set(PrinterConfig.__dataclass_fields__)
    if unknown:
        fail(f"{where} has unknown fields {sorted(unknown)}")
    for required in ("name", "role", "host"):
        if not str(entry.get(required, "")).strip():
            fail(f"{where} needs a {required}")
    if entry["role"] not in ROLES:
        fail(f"{where} ({entry['name']}): role must be one of {ROLES}, not {entry['role']!r}")
    port, width = entry.get("port", 9100), entry.get("width", 48)
    if not isinstance(port, int) or not 0 < port < 65536:
        fail(f"{where} ({entry['name']}): port must be 1-65535, not {port!r}")
    if not isinstance(width, int) or not 32 <= width <= 64:
        fail(f"{where} ({entry['name']}): width must be 32-64 columns, not {width!r}")
    categories = entry.get("categories", [])
    if isinstance(categories, str) or not all(isinstance(c, str) for c in categories):
        fail(f"{where} ({entry['name']}): categories must be a list of names")
    return PrinterConfig(name=str(entry["name"]), role=entry["role"], host=str(entry["host"]), port=port,
                         width=width, categories=tuple(categories),
                         status_check=bool(entry.get("status_check", True)),
                         timeout_s=float(entry.get("timeout_s", 10.0)),
                         cut_counter=bool(entry.get("cut_counter", False)))
