"""The one exception type the plate engine raises for problems a user can fix."""


class PlateReadingError(Exception):
    """An input could not be read (missing, corrupt, unsupported, too large).

    The message is written for the person who supplied the file; callers show
    it as is, next to the file name.
    """
