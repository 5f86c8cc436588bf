"""HTML to PDF in a worker process. Imports nothing from Django, so a freshly spawned process starts quickly
and never touches the parent's database connections."""


def html_to_pdf(html, base_url):
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
