"""Delivery: every change readers can see, carried to WordPress, webhooks and static folders.

desk (Change) -> outbox rows, in the change's own transaction -> the delivery loop (leased per
target) -> a target's sender -> acknowledged -> row done. See docs/targets.md.
"""
