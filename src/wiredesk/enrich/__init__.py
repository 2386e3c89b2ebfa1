"""Derived facts about stories: places, quotations and developing-story clusters."""
