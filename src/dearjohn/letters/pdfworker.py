"""HTML to PDF in a worker process. Imports nothing from Django, so a freshly spawned process starts quickly
and never touches the parent's database connections."""


def html_to_pdf(html, base_url):
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Letters embed everything they show as data: URIs; a template never makes the server fetch a URL.
    return HTML(string=html, base_url=base_url, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
