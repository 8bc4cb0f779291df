"""Delivery context: a delivery is prepared when the order arrives and starts when its food is cooked."""
