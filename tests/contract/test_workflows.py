"""Acceptance tests: the seed's seven workflows (ARCHITECTURE.md, "The workflows"), through the port."""
from __future__ import annotations

import pytest

from services.errors import CancelRefused, InvalidTransition
from tests.contract.helpers import order, stock_of, ticket_ids


def test_1_an_order_starts_cooking_after_its_stock_check(shop):
    before = stock_of(shop, "bibimbap")
    receipt = shop.place_order(order(("bibimbap", 2), ("cola", 1, "no ice")))
    assert receipt.status == "placed" and receipt.total == 2 * 9500 + 2000
    assert stock_of(shop, "bibimbap") == before - 2
    ticket = next(t for t in shop.kitchen_tickets() if t.order_id == receipt.order_id)
    assert ticket.status == "queued"
    assert [(line.item_code, line.quantity, line.note) for line in ticket.lines] == [
        ("bibimbap", 2, ""), ("cola", 1, "no ice")]
    shop.start_cooking(receipt.order_id)
    assert next(t for t in shop.kitchen_tickets() if t.order_id == receipt.order_id).status == "cooking"
    shop.finish_cooking(receipt.order_id)
    assert receipt.order_id not in ticket_ids(shop)
    assert shop.mypage(receipt.order_id).cook_status == "cooked"


def test_2_an_order_earns_a_free_gift_while_gift_stock_lasts(shop):
    shop.set_gift_stock(2, "Candy")
    receipts = [shop.place_order(order()) for _ in range(3)]
    assert [r.gift_status for r in receipts] == ["sent", "sent", "out_of_stock"]
    assert [r.gift_kind for r in receipts] == ["Candy", "Candy", None]
    assert shop.gift_stock().quantity == 0
    assert shop.mypage(receipts[0].order_id).gift_kind == "Candy"
    assert shop.mypage(receipts[2].order_id).gift_status == "out_of_stock"


def test_3_cooked_food_starts_its_delivery(shop):
    receipt = shop.place_order(order())
    assert receipt.order_id not in [c.order_id for c in shop.delivery_board().waiting]
    shop.finish_cooking(receipt.order_id)
    board = shop.delivery_board()
    card = next(c for c in board.waiting if c.order_id == receipt.order_id)
    assert card.address == "12 Sejong-daero, Seoul" and card.phone == "010-1234-5678"
    shop.pick_up(receipt.order_id, "Park")
    card = next(c for c in shop.delivery_board().on_the_way if c.order_id == receipt.order_id)
    assert card.rider == "Park"
    shop.deliver(receipt.order_id)
    assert receipt.order_id in [c.order_id for c in shop.delivery_board().delivered_today]
    assert shop.mypage(receipt.order_id).delivery_status == "delivered"


def test_4_cancelling_an_order_cancels_its_cooking_and_returns_the_stock(shop):
    before = stock_of(shop, "bulgogi")
    receipt = shop.place_order(order(("bulgogi", 3)))
    shop.cancel_order(receipt.order_id, "customer left")
    assert receipt.order_id not in ticket_ids(shop)
    assert stock_of(shop, "bulgogi") == before
    card = shop.mypage(receipt.order_id)
    assert (card.order_status, card.cook_status, card.reason) == ("cancelled", "cancelled", "customer left")


def test_4b_cancelling_while_cooking_keeps_the_stock_used(shop):
    before = stock_of(shop, "bulgogi")
    receipt = shop.place_order(order(("bulgogi", 1)))
    shop.start_cooking(receipt.order_id)
    shop.cancel_order(receipt.order_id, "changed mind")
    assert stock_of(shop, "bulgogi") == before - 1
    assert shop.mypage(receipt.order_id).cook_status == "cancelled"


def test_5_cancelling_an_order_cancels_its_gift_and_returns_it_to_stock(shop):
    shop.set_gift_stock(5)
    receipt = shop.place_order(order())
    assert shop.gift_stock().quantity == 4
    shop.cancel_order(receipt.order_id, "wrong address")
    assert shop.gift_stock().quantity == 5
    assert shop.mypage(receipt.order_id).gift_status == "cancelled"


def test_6_an_out_of_stock_order_is_cancelled_with_the_reason_and_so_is_its_gift(shop):
    shop.set_gift_stock(5)
    shop.mark_sold_out("japchae")
    before = stock_of(shop, "bibimbap")
    receipt = shop.place_order(order(("bibimbap", 1), ("japchae", 1)))
    assert receipt.status == "cancelled"
    assert receipt.reason == "@out_of_stock:japchae"   # a code each screen words in its reader's language
    assert receipt.gift_status == "cancelled" and receipt.gift_kind is None
    assert stock_of(shop, "bibimbap") == before, "all or nothing: no line's stock is taken"
    assert shop.gift_stock().quantity == 5
    assert receipt.order_id not in ticket_ids(shop)
    card = shop.mypage(receipt.order_id)
    assert (card.order_status, card.cook_status, card.gift_status) == ("cancelled", "out_of_stock", "cancelled")


def test_6b_restock_makes_an_item_orderable_again(shop):
    shop.mark_sold_out("japchae")
    assert stock_of(shop, "japchae") == 0
    shop.restock("japchae", 3)
    assert stock_of(shop, "japchae") == 3
    assert shop.place_order(order(("japchae", 3))).status == "placed"
    assert shop.place_order(order(("japchae", 1))).status == "cancelled"


def test_7_mypage_shows_order_cooking_delivery_and_gift_with_times_and_the_timeline(shop):
    shop.set_gift_stock(5, "Candy")   # a gift to send, whatever earlier tests left (the chain's stock is shared)
    receipt = shop.place_order(order(phone="010-9876-5432"))
    for step in (shop.start_cooking, shop.finish_cooking):
        step(receipt.order_id)
    shop.pick_up(receipt.order_id, "Choi")
    shop.deliver(receipt.order_id)
    card = shop.mypage(receipt.order_id)
    assert (card.order_status, card.cook_status, card.delivery_status, card.gift_status) == (
        "placed", "cooked", "delivered", "sent")
    assert card.ordered_at and card.cook_at and card.delivery_at and card.gift_at
    assert card.ordered_at <= card.cook_at <= card.delivery_at
    assert card.summary == "비빔밥 x2" and card.total == 19000
    names = [entry.event for entry in card.timeline]
    assert names[0] == "Ordered"
    for expected in ("GiftSent", "StockChecked", "CookStarted", "Cooked", "DeliveryStarted", "PickedUp", "Delivered"):
        assert expected in names
    assert names.index("Cooked") < names.index("DeliveryStarted") < names.index("PickedUp") < names.index("Delivered")
    assert [c.order_id for c in shop.mypage_by_phone("01098765432")] == [receipt.order_id]


def test_cancel_after_cooking_is_refused_with_a_clear_message(shop):
    receipt = shop.place_order(order())
    shop.finish_cooking(receipt.order_id)
    with pytest.raises(CancelRefused, match=f"Order {receipt.order_id} is already cooked"):
        shop.cancel_order(receipt.order_id, "too late")
    assert shop.mypage(receipt.order_id).order_status == "placed"


def test_todays_orders_list_the_newest_first_with_their_status(shop):
    first = shop.place_order(order())
    second = shop.place_order(order(("cola", 1)))
    shop.cancel_order(second.order_id, "duplicate")
    shop.finish_cooking(first.order_id)
    statuses = {o.order_id: o.status for o in shop.todays_orders()}
    assert statuses[first.order_id] == "cooked" and statuses[second.order_id] == "cancelled"
    assert [o.order_id for o in shop.todays_orders()][:2] == [second.order_id, first.order_id]


def test_the_same_client_ref_places_one_order(shop):
    first = shop.place_order(order(client_ref="till-1-0001"))
    again = shop.place_order(order(client_ref="till-1-0001"))
    assert again.order_id == first.order_id and again.client_ref == "till-1-0001"
    assert [o.order_id for o in shop.todays_orders()].count(first.order_id) == 1


def test_a_bumped_ticket_can_be_recalled_until_the_rider_picks_it_up(shop):
    receipt = shop.place_order(order())
    shop.finish_cooking(receipt.order_id)
    shop.recall_ticket(receipt.order_id)
    assert next(t for t in shop.kitchen_tickets() if t.order_id == receipt.order_id).status == "cooking"
    assert receipt.order_id not in [c.order_id for c in shop.delivery_board().waiting], "back off the board"
    shop.finish_cooking(receipt.order_id)
    shop.pick_up(receipt.order_id, "Park")
    with pytest.raises(InvalidTransition, match="already picked up"):
        shop.recall_ticket(receipt.order_id)
