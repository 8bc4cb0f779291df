"""Exports of the day's reports (CSV, PDF): an adapter over the port's ``DayReport``, outside the domain."""
