"""Errors wiredesk raises. Each message is meant for a person at the desk."""


class WiredeskError(Exception):
    """Base of every error wiredesk raises on purpose."""


class ParseError(WiredeskError):
    """A received file could not be read as any wire item; the file goes to quarantine."""


class UnknownFormat(ParseError):
    """No parser recognised the file's content."""


class HostileInput(ParseError):
    """The file tried something unsafe: entity expansion, external entities, a bomb."""


class ConfigError(WiredeskError):
    """wiredesk.toml or a command-line option is wrong."""


class NotFound(WiredeskError):
    """A story, source or file that was asked for does not exist."""
