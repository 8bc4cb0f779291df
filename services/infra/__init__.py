"""Shared plumbing: database engines, the outbox and the message bus. No business rules here."""
