"""The newsroom's back office at /admin: source health, quarantine, hold queue, audit log."""

from __future__ import annotations

from wiredesk.admin.guard import admin_middleware
from wiredesk.admin.retry import Retried, retry_quarantined
from wiredesk.admin.routes import admin_routes

__all__ = ["Retried", "admin_middleware", "admin_routes", "retry_quarantined"]
