"""Payments context: each order's bill, the tenders that pay it, refunds on cancel, and the business
day (open with a float, X report at any time, close with the Z report). Fed by ordering's and gift's
events; its own tables (bills, tenders, refunds, business_days, payment_refs)."""
