"""A real WordPress for the tests: Debian's `wordpress` package served by `php -S` on loopback
over the machine's MariaDB, installed into a folder of its own on first use.

Debian's /usr/share/wordpress/wp-config.php reads /etc/wordpress/; to touch nothing outside
the test's folder, the kit builds a docroot that links WordPress's own folders and copies its
front files with a wp-config.php of ours, then installs the site by calling WordPress's own
`wp_install()` from a PHP script (wp-cli is not packaged in Debian bookworm).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from livesite import free_port

WORDPRESS = Path("/usr/share/wordpress")
PLUGIN = (
    Path(__file__).resolve().parents[2] / "src/wiredesk/deliver/wordpress/wiredesk-delivery.php"
)
MARIADB = ("127.0.0.1", 3306)
# Debian's wordpress-theme-twentytwentyone (scripts/system-deps.sh): a theme to render pages.
THEME = WORDPRESS / "wp-content" / "themes" / "twentytwentyone"


@dataclass
class Site:
    url: str
    user: str
    app_password: str
    database: str
    # `php -S`, leader of its own process group (its PHP_CLI_SERVER_WORKERS are in it too).
    server_pid: int = 0

    def get(self, path: str, **params: object) -> httpx.Response:
        return httpx.get(
            f"{self.url}/wp-json/wp/v2{path}",
            params={k: str(v) for k, v in params.items()},
            auth=(self.user, self.app_password),
            timeout=30,
        )

    def posts_for(self, uri: str) -> list[dict[str, object]]:
        response = self.get(
            "/posts",
            wiredesk_uri=uri,
            status="publish,future,draft,pending,private,trash",
            context="edit",
        )
        response.raise_for_status()
        return [p for p in response.json() if p["meta"]["wiredesk_uri"] == uri]


def unavailable() -> str:
    """Why a WordPress cannot be run here, or "" when it can."""
    if shutil.which("php") is None:
        return "php-cli is not installed (scripts/system-deps.sh installs it as root)"
    if not (WORDPRESS / "wp-settings.php").exists():
        return "Debian's wordpress package is not installed (scripts/system-deps.sh)"
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.split()
    if "mysqli" not in modules:
        return "php-mysql is not installed (scripts/system-deps.sh)"
    if shutil.which("mysql") is None:
        return "no mysql client to create the test database"
    probe = subprocess.run(
        ["mysql", "-h", MARIADB[0], "-P", str(MARIADB[1]), "-uroot", "-e", "SELECT 1"],
        capture_output=True,
    )
    if probe.returncode != 0:
        return f"MariaDB is not answering on {MARIADB[0]}:{MARIADB[1]} as root"
    return ""


def _sql(statement: str) -> None:
    subprocess.run(
        ["mysql", "-h", MARIADB[0], "-P", str(MARIADB[1]), "-uroot", "-e", statement],
        check=True,
        capture_output=True,
    )


CONFIG = """<?php
define('DB_NAME', '{db}');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '{host}:{port}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', '{url}');
define('WP_SITEURL', '{url}');
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
define('WP_CONTENT_URL', '{url}/wp-content');
// Application Passwords need HTTPS, or a site that says it is a local one.
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_DEBUG', false);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('FS_METHOD', 'direct');
$table_prefix = 'wp_';
if (!defined('ABSPATH')) {{ define('ABSPATH', __DIR__ . '/'); }}
require_once ABSPATH . 'wp-settings.php';
"""

INSTALL = """<?php
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$result = wp_install('wiredesk test', 'editor', 'editor@example.invalid', false, '', wp_generate_password(24));
update_option('permalink_structure', '/%postname%/');
// Debian's wordpress ships no theme: use the packaged one when it is there (post pages).
if (wp_get_theme('twentytwentyone')->exists()) { switch_theme('twentytwentyone'); }
$made = WP_Application_Passwords::create_new_application_password($result['user_id'], array('name' => 'wiredesk'));
echo json_encode(array('password' => $made[0]));
"""

ROUTER = """<?php
// php -S: real files as they are, everything else through WordPress (pretty /wp-json/ links).
$path = __DIR__ . parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== __DIR__ . '/' && file_exists($path) && !is_dir($path) && substr($path, -4) !== '.php') {
    return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
require __DIR__ . '/index.php';
"""


def docroot(root: Path, url: str, db: str) -> None:
    root.mkdir(parents=True)
    for entry in WORDPRESS.iterdir():
        if entry.name in ("wp-config.php", "wp-content"):
            continue
        if entry.is_dir():
            (root / entry.name).symlink_to(entry)
        else:
            shutil.copy(entry, root / entry.name)  # a front file: its __DIR__ must be ours
    for folder in ("plugins", "themes", "uploads", "mu-plugins"):
        (root / "wp-content" / folder).mkdir(parents=True)
    if THEME.is_dir():
        (root / "wp-content" / "themes" / THEME.name).symlink_to(THEME)
    shutil.copy(PLUGIN, root / "wp-content" / "mu-plugins" / PLUGIN.name)
    (root / "wp-config.php").write_text(
        CONFIG.format(db=db, host=MARIADB[0], port=MARIADB[1], url=url)
    )
    (root / "install.php").write_text(INSTALL)
    (root / "router.php").write_text(ROUTER)


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server and every process of its group: SIGTERM, then SIGKILL after 10 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    # Workers may outlive the leader by a moment; the group is gone when none runs.
    deadline = time.monotonic() + 10
    while group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if group_members(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def group_members(pgid: int) -> list[int]:
    """Running (not zombie) processes of a process group, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


@contextmanager
def wordpress(work: Path) -> Iterator[Site]:
    """A fresh WordPress with its own database, served until the block ends."""
    db = f"wd_test_{uuid.uuid4().hex[:12]}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    root = work / "wordpress"
    _sql(f"CREATE DATABASE `{db}` CHARACTER SET utf8mb4")
    proc = None
    stopper = None
    try:
        docroot(root, url, db)
        installed = subprocess.run(
            ["php", str(root / "install.php")], capture_output=True, text=True, cwd=root
        )
        if installed.returncode != 0:
            raise RuntimeError(f"WordPress install failed: {installed.stdout}{installed.stderr}")
        password = json.loads(installed.stdout.strip().splitlines()[-1])["password"]
        log = (work / "php.log").open("wb")
        proc = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{port}", "-t", str(root), str(root / "router.php")],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PHP_CLI_SERVER_WORKERS": "4"},
            # Its own group: the workers it forks go with it (terminate() alone orphaned them).
            start_new_session=True,
        )
        stopper = functools.partial(stop_group, proc)
        atexit.register(stopper)  # even if this generator is never closed
        site = Site(url, "editor", password, db, proc.pid)
        deadline = time.monotonic() + 30
        while True:
            try:
                if site.get("/posts").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"php -S did not serve WordPress: {(work / 'php.log').read_text()}"
                )
            time.sleep(0.2)
        yield site
    finally:
        if proc is not None:
            stop_group(proc)
        if stopper is not None:
            atexit.unregister(stopper)
        _sql(f"DROP DATABASE IF EXISTS `{db}`")


def running_site(factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The body of a test module's WordPress fixture: one site for the module, or a skip that
    says why WordPress cannot run here."""
    reason = unavailable()
    if reason:
        pytest.skip(f"WordPress cannot run here: {reason}")
    with wordpress(factory.mktemp("wp")) as running:
        yield running
