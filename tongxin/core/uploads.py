"""Uploaded files the server's disk cannot take.

Django streams an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE into a temporary file while
it parses the request, and the CSRF check parses it before any view runs: a full disk there
was an error page with nothing said. This handler ends such an upload instead, removes what
was written of the file, and leaves the reason on the request for the view to tell.
"""

from __future__ import annotations

import errno
import logging

from django.core.files import uploadhandler

log = logging.getLogger(__name__)

DISK_FULL = "服务器磁盘空间不足，文件未能保存，未写入任何数据。请联系系统管理员。"
WRITE_FAILED = "服务器保存上传的文件时出错，文件未能保存，未写入任何数据。请联系系统管理员。"


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        try:
            super().new_file(*args, **kwargs)
        except OSError as exc:
            self._give_up(exc)

    def receive_data_chunk(self, raw_data, start):
        try:
            self.file.write(raw_data)
        except OSError as exc:
            self._give_up(exc)

    def _give_up(self, exc: OSError):
        log.error("upload of %r not saved: %s", self.file_name, exc)
        self.request.upload_failure = exc
        self.upload_interrupted()  # removes the partial temporary file
        raise uploadhandler.StopUpload(connection_reset=False)


def failure(request) -> str | None:
    """Why the request's uploaded file could not be saved, in Chinese; None if it was."""
    exc = getattr(request, "upload_failure", None)
    if exc is None:
        return None
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DISK_FULL
    return WRITE_FAILED
