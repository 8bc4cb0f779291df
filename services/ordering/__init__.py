"""Ordering context: the menu catalogue and orders. Calls the gift side synchronously (seed: FeignClient)."""
