"""One APIRouter per bounded context (order, cook, delivery, gift, mypage) plus staff, events and ops."""
