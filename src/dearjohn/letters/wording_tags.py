"""The only tags letter wording may use (see render.WordingEngine): flow and comments, nothing that reaches outside."""

from django.template import Library, defaulttags

ALLOWED = ("if", "for", "with", "comment", "spaceless", "firstof", "verbatim")

register = Library()
register.tags = {name: defaulttags.register.tags[name] for name in ALLOWED}
