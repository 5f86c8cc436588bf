"""Stops an over-size upload while it is still arriving, instead of after it filled the disk."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class LimitedUploadHandler(FileUploadHandler):
    """Skips any uploaded file larger than the largest size intake accepts.

    The names of skipped files are left on `request.oversized_uploads`, so the
    view can tell the sender which file was too large and why.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        limits = settings.DEARJOHN["INTAKE"]
        if self.received > max(limits["MAX_IMAGE_BYTES"], limits["MAX_VIDEO_BYTES"]):
            skipped = getattr(self.request, "oversized_uploads", [])
            if self.file_name not in skipped:
                skipped.append(self.file_name)
            self.request.oversized_uploads = skipped
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
