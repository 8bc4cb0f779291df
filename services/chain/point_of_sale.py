"""The point of sale is not served by the chain yet: no payments service runs there (issue 12's
services predate the payments context). ``ChainShop`` answers its port calls with a clear ShopError
(501 at the gateway) instead of failing on a missing method."""
from __future__ import annotations

from services.errors import ShopError


class NotServedHere(ShopError):
    """This way of running the shop does not offer that yet."""
    code = "not_served"


_WHY = ("The chain does not run the payments context yet: take payment, open and close the day and edit "
        "the menu on a shop server or the embedded shop")


class PointOfSaleNotServed:
    """Mixed into ``ChainShop``: every point-of-sale call of the port refuses with ``NotServedHere``."""

    def _not_served(self, *_args, **_kwargs):
        raise NotServedHere(_WHY)

    take_payment = open_day = close_day = save_category = save_menu_item = _not_served
    bill = unpaid_bills = current_day = days = x_report = z_report = categories = _not_served
    verify_manager_pin = _not_served
