"""The manager's menu: ``/menu/categories`` and ``/menu/items`` (ordering owns the catalogue). Every
change is a manager's and is audited; a price change reaches new orders only (past orders copied
their prices when placed)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from services.http.auth import Principal, StaffStore
from services.http.gate import COMMON_RESPONSES, Gate, roles_extra
from services.http.pos_schemas import CODE_PATTERN, CategoryIn, CategoryOut, MenuItemIn
from services.http.routes.cook import ALL_ROLES, audited
from services.http.schemas import OkOut
from services.menu_commands import SaveCategory, SaveMenuItem
from services.port import Shop

Code = Path(pattern=CODE_PATTERN, alias="code")
ItemCode = Path(pattern=CODE_PATTERN, alias="itemCode")


def router(shop: Shop, gate: Gate, staff: StaffStore) -> APIRouter:
    r = APIRouter(prefix="/menu", tags=["menu"], responses=COMMON_RESPONSES)
    anyone, manager = gate.allow(*ALL_ROLES), gate.allow("manager")

    @r.get("/categories", response_model=list[CategoryOut], openapi_extra=roles_extra(*ALL_ROLES),
           summary="The menu's categories in menu order (the items are GET /cooks/menu)")
    def categories(_: Principal = Depends(anyone)):
        return shop.categories()

    @r.put("/categories/{code}", response_model=OkOut, openapi_extra=roles_extra("manager"),
           summary="Add or rename a category (audited)")
    def save_category(body: CategoryIn, code: str = Code, who: Principal = Depends(manager)):
        command = SaveCategory(code, body.name_ko, body.name_en, body.sort, who.staff_id, body.reason)
        audited(staff, who, "save_category", f"{code} {body.name_ko} {body.name_en}", body.reason,
                lambda: shop.save_category(command))
        return OkOut()

    @r.put("/items/{itemCode}", response_model=OkOut, openapi_extra=roles_extra("manager"),
           summary="Add or change an item: names, price, category, printer, available (audited)")
    def save_item(body: MenuItemIn, item_code: str = ItemCode, who: Principal = Depends(manager)):
        command = SaveMenuItem(item_code, body.name_ko, body.name_en, body.price, body.category, body.printer,
                               body.available, body.initial_stock, who.staff_id, body.reason)
        audited(staff, who, "save_menu_item", f"{item_code} ₩{body.price:,}"
                f"{'' if body.available else ' unavailable'}", body.reason, lambda: shop.save_menu_item(command))
        return OkOut()

    return r
