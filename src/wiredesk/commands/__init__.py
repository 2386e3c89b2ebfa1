"""Command groups of the `wiredesk` CLI beyond the everyday ones in wiredesk.cli."""
