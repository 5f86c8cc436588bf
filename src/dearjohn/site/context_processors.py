from django.conf import settings


def program(request):
    """The department's name and the user's roles, on every page."""
    user = getattr(request, "user", None)
    roles = []
    if user is not None and user.is_authenticated:
        roles = sorted(user.groups.values_list("name", flat=True))
    return {"program": settings.DEARJOHN, "roles": roles}
