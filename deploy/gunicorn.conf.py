"""gunicorn's configuration for Tongxin: `.venv/bin/gunicorn -c deploy/gunicorn.conf.py`.

Read from the same environment as the application (the systemd unit's EnvironmentFile, see
deploy/tongxin.env): TONGXIN_BIND, TONGXIN_WEB_WORKERS, TONGXIN_WEB_TIMEOUT, and the proxy
settings the application itself believes (TONGXIN_BEHIND_PROXY, TONGXIN_TRUSTED_PROXIES).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings")

from django.conf import settings as tongxin  # noqa: E402  (needs ROOT on the path)

wsgi_app = "tongxin.wsgi:application"
chdir = str(ROOT)

# nginx on the same host talks to 127.0.0.1; nothing else should reach gunicorn directly.
bind = os.environ.get("TONGXIN_BIND", "127.0.0.1:8000").split(",")
# Synchronous workers: each request is one process's, and the pages are database-bound. The
# usual two per core plus one, unless told.
workers = int(os.environ.get("TONGXIN_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)

# A request still running after this many seconds has its worker killed and restarted: a long
# job belongs to the import worker, not to a request (nginx's proxy_read_timeout is a little
# longer, so that the user sees gunicorn's answer, not nginx's).
timeout = int(os.environ.get("TONGXIN_WEB_TIMEOUT", "120"))
# On restart or stop (SIGTERM, systemctl restart), requests under way get this long to finish.
graceful_timeout = 30
# Each worker is replaced after about this many requests (the jitter keeps them from all
# restarting at once): a slow leak in a library cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
# The workers' liveness files on a RAM disk: on a disk-backed /tmp their updates can block.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
# The runtime control socket (gunicornc) is not used; systemd signals gunicorn instead.
control_socket_disable = True

# Whose X-Forwarded-Proto (HTTPS or not) gunicorn believes: the proxies the application
# believes, never gunicorn's own FORWARDED_ALLOW_IPS default or "*". Without a proxy, nobody.
forwarded_allow_ips = ",".join(
    tongxin.TONGXIN_TRUSTED_PROXIES if tongxin.TONGXIN_BEHIND_PROXY else []
)

# Logs to standard output and error (journald under systemd). The access log leaves out the
# query string: a name search (?q=…) would put a person's name into the log.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("TONGXIN_LOG_LEVEL", "WARNING").lower()
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
proc_name = "tongxin-web"
