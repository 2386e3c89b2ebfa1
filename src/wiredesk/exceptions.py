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


class TransportError(WiredeskError):
    """Fetching from a source failed; the runner backs off and tries again.

    `retry_after` is the source's own request (HTTP 429 or 503 Retry-After), in seconds;
    `status` the HTTP status of a refusal (413 for a body over the size cap).
    """

    def __init__(
        self, message: str, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


class AuthError(WiredeskError):
    """A push or admin request without valid credentials."""
