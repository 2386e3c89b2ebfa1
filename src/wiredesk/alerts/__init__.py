"""Alerts: who hears when a wire fails or goes quiet, quarantines surge, a target falls behind
or keeps failing (and, optionally, when an urgent flash arrives). See docs/desk.md."""
