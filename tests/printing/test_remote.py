"""The print service on a RemoteShop (a real gateway on loopback): the same port, the same tickets.
Signed in as the counter: finding an order's lines after a restart reads mypage, which the kitchen
role may not."""
from __future__ import annotations

from services.printing.config import parse_config
from tests.http.served import remote_shop_over
from tests.printing.conftest import printers_config
from tests.printing.escpos_reader import read_escpos, texts
from tests.printing.test_print_service import order


def test_tickets_and_voids_print_from_a_shop_server(shop, printer, tmp_path):
    from services.printing import open_print_service
    with remote_shop_over(shop, tmp_path, who="counter:1111") as remote:
        config = parse_config(printers_config(printer.port))
        service = open_print_service(remote, config, tmp_path / "remote-printing.sqlite")
        try:
            placed = order(shop, ("kimchi-jjigae", 1, "덜 맵게"))
            lines = texts(printer.wait_for_jobs(1)[0])
            assert lines[0].startswith(f"#{placed}") and "1 x 김치찌개" in lines and "※ 덜 맵게" in lines
            shop.cancel_order(placed, "")
            void, _ = read_escpos(printer.wait_for_jobs(2)[1])
            assert "VOID" in void[0].text
        finally:
            service.close()
