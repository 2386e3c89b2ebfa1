"""Where alerts go: e-mail over SMTP and a Slack- or Teams-compatible incoming webhook.

Both take the same two lines, a subject and a body. Secrets come from the environment at the
moment of sending: the SMTP password and the webhook URL (a chat webhook's URL is its token).
"""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import httpx

from wiredesk.config import AlertSettings


class ChannelError(Exception):
    """A channel did not take the message."""


def send_email(settings: AlertSettings, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.email_from
    message["To"] = ", ".join(settings.email_to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain="wiredesk")
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                password = os.environ.get(settings.smtp_password_env, "")
                if not password:
                    raise ChannelError(
                        f"smtp: environment variable {settings.smtp_password_env or '(unnamed)'} "
                        "holds no password"
                    )
                smtp.login(settings.smtp_user, password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise ChannelError(f"smtp {settings.smtp_host}:{settings.smtp_port}: {exc}") from exc


def send_webhook(settings: AlertSettings, subject: str, body: str) -> None:
    url = os.environ.get(settings.webhook_url_env, "")
    if not url:
        raise ChannelError(f"webhook: environment variable {settings.webhook_url_env} is not set")
    # {"text": ...} is what Slack and Microsoft Teams incoming webhooks both accept.
    try:
        response = httpx.post(url, json={"text": f"*{subject}*\n{body}"}, timeout=20)
    except httpx.HTTPError as exc:
        raise ChannelError(f"webhook: {type(exc).__name__}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        raise ChannelError(f"webhook: HTTP {response.status_code}")


def notify(settings: AlertSettings, subject: str, body: str) -> str:
    """Send on every configured channel; the errors of those that failed, or ""."""
    errors = []
    if settings.email_to:
        try:
            send_email(settings, subject, body)
        except ChannelError as exc:
            errors.append(str(exc))
    if settings.webhook_url_env:
        try:
            send_webhook(settings, subject, body)
        except ChannelError as exc:
            errors.append(str(exc))
    return "; ".join(errors)
